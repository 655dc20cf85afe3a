import { randomBytes } from "node:crypto";
import { readFileSync, realpathSync, statSync, unlinkSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import process from "node:process";
import { port } from "./_current.ts";
import type { ProcRead } from "./_port.ts";
import { onSignal, programHandles } from "./signals.ts";

export type { ProcRead } from "./_port.ts";

/** Writes one chunk of a file being written by {@linkcode writeFileAtomic}. */
export type ChunkWriter = (chunk: string | Uint8Array) => Promise<void>;

/** What {@linkcode writeFileAtomic} writes: the whole content, or a function writing it in chunks. */
export type FileContent = string | Uint8Array | ((write: ChunkWriter) => Promise<void>);

/**
 * Writes a file so that it is either wholly there or not changed at all: the content goes to a
 * temporary file beside `path`, which is renamed over `path` only once fully written. If writing
 * throws, or Ctrl+C or SIGTERM ends the program meanwhile, the temporary file is removed and the
 * old `path`, if any, is untouched. An existing file keeps its permissions, and a symbolic link
 * is written through (its target is replaced, the link stays).
 *
 * @param path The file to write.
 * @param content Text, bytes, or an async function that receives a chunk writer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { writeFileAtomic } from "./internal.ts";
 * import { readFile, rm } from "node:fs/promises";
 * await writeFileAtomic("example.txt", async (write) => {
 *   await write("hello ");
 *   await write("world");
 * });
 * assert(await readFile("example.txt", "utf8") === "hello world");
 * await rm("example.txt");
 * ```
 */
export async function writeFileAtomic(path: string, content: FileContent): Promise<void> {
  const { target, mode } = replaced(path);
  const temporary = temporaryPathBeside(target);
  const handle = await open(temporary, "wx", mode ?? 0o666);
  const forget = removedOnInterrupt(temporary);
  try {
    if (mode !== undefined) await handle.chmod(mode); // exactly, whatever the umask
    const write: ChunkWriter = async (chunk) => {
      await handle.write(typeof chunk === "string" ? new TextEncoder().encode(chunk) : chunk);
    };
    if (typeof content === "function") await content(write);
    else await write(content);
    await handle.sync();
    await handle.close();
    await rename(temporary, target);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temporary).catch(() => {});
    throw error;
  } finally {
    forget();
  }
}

/**
 * The file a write to `path` replaces: a symbolic link's target (the link stays a link), and its
 * permission bits, which the new file keeps (`undefined` for a new file).
 *
 * @param path The path given.
 * @returns The file to replace and its mode.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { replaced } from "./files.ts";
 * const { target, mode } = replaced("deno.json");
 * assert(target.endsWith("deno.json") && mode !== undefined);
 * ```
 */
export function replaced(path: string): { target: string; mode: number | undefined } {
  let target = path;
  try {
    target = realpathSync(path);
    return { target, mode: statSync(target).mode & 0o7777 };
  } catch {
    return { target, mode: undefined }; // a new file (or a link to one)
  }
}

const INTERRUPTS = ["SIGINT", "SIGTERM"] as const;
const unfinished = new Set<string>();
let stopListening: (() => void)[] = [];

/**
 * Removes a file being written if Ctrl+C or SIGTERM ends the program, or it exits, before the file
 * is finished; the signal then ends the program as it would have (a handler of the program's own
 * still decides).
 *
 * @param path The unfinished file.
 * @returns A function to call once the file is finished or removed.
 *
 * @example
 * ```ts
 * import { removedOnInterrupt } from "./files.ts";
 * const forget = removedOnInterrupt("partial.tmp");
 * forget();
 * ```
 */
export function removedOnInterrupt(path: string): () => void {
  if (unfinished.size === 0) {
    stopListening = INTERRUPTS.map((signal) => onSignal(signal, onInterrupt));
    process.on("exit", removeUnfinished);
  }
  unfinished.add(path);
  return () => {
    if (unfinished.delete(path) && unfinished.size === 0) stopAll();
  };
}

function stopAll(): void {
  for (const stop of stopListening) stop();
  stopListening = [];
  process.off("exit", removeUnfinished);
}

function removeUnfinished(): void {
  for (const path of unfinished) {
    try {
      unlinkSync(path);
    } catch {
      // Already renamed into place or removed.
    }
  }
  unfinished.clear();
}

function onInterrupt(signal: NodeJS.Signals): void {
  removeUnfinished();
  stopAll();
  // Without a handler of the program's own, the signal ends the program as it would have.
  if (!programHandles(signal)) process.kill(process.pid, signal);
}

const CHUNK_BYTES = 1 << 20;

/**
 * Reads a file in chunks of up to 1 MiB, never holding it whole.
 *
 * @param path The file.
 * @returns The file's bytes, chunk by chunk.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readFileChunks } from "./internal.ts";
 * let bytes = 0;
 * for await (const chunk of readFileChunks("deno.json")) bytes += chunk.length;
 * assert(bytes > 0);
 * ```
 */
export async function* readFileChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, "r");
  const readNext = async () => {
    const buffer = new Uint8Array(CHUNK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
    return buffer.subarray(0, bytesRead);
  };
  let next = readNext();
  try {
    for (;;) {
      const chunk = await next;
      if (chunk.length === 0) return;
      next = readNext(); // read ahead: the disk works while the caller parses this chunk
      yield chunk;
    }
  } finally {
    await next.catch(() => {});
    await handle.close();
  }
}

/** A fresh, hidden file name in the directory of `path`, so a rename onto `path` is atomic. */
export function temporaryPathBeside(path: string): string {
  const suffix = randomBytes(6).toString("hex");
  return join(dirname(path), `.${basename(path)}.${suffix}.tmp`);
}

/**
 * Reads `/proc/self/<name>` (Linux) synchronously, or says why it cannot: no `/proc` on this
 * platform, or a permission the runtime wants (Deno reads `/proc` only with `-A`).
 *
 * @param name The file under `/proc/self/`, e.g. `"status"`.
 * @returns `{ bytes }` or `{ error }`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readProcFile } from "./internal.ts";
 * const status = readProcFile("status");
 * assert("bytes" in status ? status.bytes.length > 0 : status.error.length > 0);
 * ```
 */
export function readProcFile(name: string): ProcRead {
  try {
    return { bytes: new Uint8Array(readFileSync(`/proc/self/${name}`)) };
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ENOENT") return { error: "This platform has no /proc/self" };
    return { error: port.explainProcError(error) };
  }
}
