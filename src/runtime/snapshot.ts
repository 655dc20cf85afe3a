import { chmodSync, renameSync, rmSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { port } from "./_current.ts";
import { errorText } from "./_port.ts";
import { readFileChunks, removedOnInterrupt, replaced, temporaryPathBeside } from "./files.ts";

/** Thrown when the running program cannot take a heap snapshot of itself. */
export class SnapshotUnsupportedError extends Error {
  override readonly name = "SnapshotUnsupportedError";

  /**
   * @param message What failed and on which runtime.
   * @param options The runtime's own error as `cause`.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

const CHUNK_BYTES = 1 << 20;

/** Whether heapler took a snapshot since the process began or last forgot the object ids. */
let idsKept = false;

/**
 * Whether the engine keeps object ids because heapler took a snapshot (since the process began,
 * or since {@linkcode forgetObjectIds} last forgot them): a check that takes snapshots of its own
 * forgets the ids after it only when they were not kept before, so that no caller's comparison by
 * id breaks.
 */
export function objectIdsKept(): boolean {
  return idsKept;
}

/** Tells that the engine forgot its object ids. */
export function objectIdsForgotten(): void {
  idsKept = false;
}

/**
 * Writes a V8-format heap snapshot of the running program to `path`, atomically (a snapshot
 * cut short, by an error or Ctrl+C, never replaces a file nor leaves one behind). An existing file
 * keeps its permissions and a symbolic link is written through. Works on Node and Deno
 * (`node:v8`) and on Bun (its V8-format export).
 *
 * @param path Where to write the `.heapsnapshot` file.
 * @returns The path written.
 * @throws {SnapshotUnsupportedError} When the runtime cannot take the snapshot.
 *
 * @example
 * ```ts
 * import { writeHeapSnapshot } from "heapler/runtime";
 * import { rm } from "node:fs/promises";
 * const path = await writeHeapSnapshot("example.heapsnapshot");
 * await rm(path);
 * ```
 */
export function writeHeapSnapshot(path: string): Promise<string> {
  // The executor runs now, and what it throws rejects the promise.
  return new Promise((done) => done(writeAtomically(path)));
}

function writeAtomically(path: string): string {
  const { target, mode } = replaced(path);
  const temporary = temporaryPathBeside(target);
  const forget = removedOnInterrupt(temporary);
  // Synchronous to the end: an operation still in flight (a rename's promise, the runtime's
  // bookkeeping of it) would be new in the next snapshot, as if the program had made it.
  try {
    idsKept = true;
    port.writeHeapSnapshot(temporary);
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, target);
    return path;
  } catch (error) {
    rmSync(temporary, { force: true });
    throw unsupported(error);
  } finally {
    forget();
  }
}

/**
 * The file V8 writes a snapshot to: one name for the whole process, made at the first snapshot
 * (not at load: Deno reads the temporary directory only with `--allow-env`).
 */
let snapshotPath: string | undefined;
let snapshotPathInUse = false;

/**
 * Takes a V8-format heap snapshot of the running program *now*, synchronously, and returns its
 * JSON bytes to read in chunks, so the whole file is never one string. Nothing new is allocated
 * before the snapshot (the temporary file's name is made once per process), so the snapshot
 * sees the program and not heapler's own work. On V8 the engine writes a temporary file (2.5
 * times faster than its stream, measured), removed once read: read the chunks to the end, or
 * stop early with `break`, so that it is.
 *
 * @returns The snapshot's bytes, in chunks of up to 1 MiB.
 * @throws {SnapshotUnsupportedError} When the runtime cannot take the snapshot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * let bytes = 0;
 * for await (const chunk of takeHeapSnapshot()) bytes += chunk.length;
 * assert(bytes > 1000);
 * ```
 */
export function takeHeapSnapshot(): AsyncIterable<Uint8Array> {
  const inMemory = snapshotBytesInMemory();
  if (inMemory) return chunksOf(inMemory);
  snapshotPath ??= join(
    tmpdir(),
    `heapler-${process.pid}-${Math.random().toString(36).slice(2)}.heapsnapshot`,
  );
  const path = snapshotPathInUse
    ? `${snapshotPath}.${Math.random().toString(36).slice(2)}`
    : snapshotPath;
  if (path === snapshotPath) snapshotPathInUse = true;
  // Taken now; a failure is thrown when the chunks are read, as a read failure would be.
  let failure: SnapshotUnsupportedError | undefined;
  try {
    idsKept = true;
    port.writeHeapSnapshot(path);
  } catch (error) {
    failure = unsupported(error);
  }
  return readOnce(path, failure);
}

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
    yield bytes.subarray(start, start + CHUNK_BYTES);
  }
}

async function* readOnce(
  path: string,
  failure: SnapshotUnsupportedError | undefined,
): AsyncGenerator<Uint8Array> {
  try {
    if (failure !== undefined) throw failure;
    yield* readFileChunks(path);
  } finally {
    await unlink(path).catch(() => {});
    if (path === snapshotPath) snapshotPathInUse = false;
  }
}

function snapshotBytesInMemory(): Uint8Array | undefined {
  try {
    idsKept = true;
    return port.heapSnapshotBytes();
  } catch (error) {
    throw unsupported(error);
  }
}

/** The runtime's failure to take a snapshot, in heapler's words, with the runtime's as `cause`. */
function unsupported(error: unknown): SnapshotUnsupportedError {
  return new SnapshotUnsupportedError(
    `Cannot take a heap snapshot on ${port.runtime} ${port.version}: ${errorText(error)}`,
    { cause: error },
  );
}
