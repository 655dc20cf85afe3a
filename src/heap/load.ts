import { readFileChunks } from "../runtime/internal.ts";
import {
  HeapSnapshotParser,
  HeapSnapshotSyntaxError,
  type ParserOptions,
  type RawHeapSnapshot,
} from "./parser.ts";

/** Where a snapshot's bytes come from: the bytes themselves, or chunks (a stream, a generator). */
export type SnapshotSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

const CHUNK_BYTES = 1 << 20;

/**
 * Parses a heap snapshot from bytes or from chunks, such as `takeHeapSnapshot()` of the running
 * program or any stream of a `.heapsnapshot` file. gzip-compressed input (`.heapsnapshot.gz`) is
 * unpacked as it streams in.
 *
 * @param source The bytes, or an (async) iterable of chunks.
 * @param options Progress reporting.
 * @returns The parsed arrays.
 * @throws {HeapSnapshotSyntaxError} For input that is not a valid snapshot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * const raw = await parseHeapSnapshot(takeHeapSnapshot());
 * assert(raw.strings.length > 0);
 * ```
 */
export async function parseHeapSnapshot(
  source: SnapshotSource,
  options: ParserOptions = {},
): Promise<RawHeapSnapshot> {
  const parser = new HeapSnapshotParser(options);
  const chunks = source instanceof Uint8Array ? chunksOf(source) : source;
  for await (const chunk of unpacked(chunks)) parser.write(chunk);
  return parser.close();
}

function* chunksOf(bytes: Uint8Array): Generator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += CHUNK_BYTES) {
    yield bytes.subarray(start, start + CHUNK_BYTES);
  }
}

/** The chunks as they are, or unpacked as they stream when they start with gzip's magic bytes. */
async function* unpacked(
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const chunks = inOrder(source);
  try {
    let first: Uint8Array | undefined;
    while (first === undefined || first.length === 0) {
      const next = await chunks.next(); // not for-of: leaving that loop would close the chunks
      if (next.done) return;
      first = next.value;
    }
    if (first[0] === 0x1f && first[1] === 0x8b) {
      yield* gunzip(first, chunks);
    } else {
      yield first;
      yield* chunks;
    }
  } finally {
    await chunks.return(undefined); // a parser that stopped early still closes the file
  }
}

/** Unpacks gzip data as it streams: the first chunk, then the rest. */
async function* gunzip(
  first: Uint8Array,
  chunks: AsyncGenerator<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  const gzip = new DecompressionStream("gzip");
  const writer = gzip.writable.getWriter();
  const output = gzip.readable.getReader();
  // Feeds the compressed chunks while the parser reads what comes out.
  const feeding = (async () => {
    try {
      await writer.write(first as Uint8Array<ArrayBuffer>);
      for await (const chunk of chunks) await writer.write(chunk as Uint8Array<ArrayBuffer>);
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});
    }
  })();
  let unpackedBytes = 0;
  try {
    for (;;) {
      const { done, value } = await output.read();
      if (done) break;
      unpackedBytes += value.length;
      yield value;
    }
  } catch (error) {
    throw new HeapSnapshotSyntaxError(
      `Cannot parse heap snapshot: the gzip data is damaged after ${unpackedBytes} unpacked bytes (${
        (error as Error).message
      })`,
      unpackedBytes,
      { cause: error },
    );
  } finally {
    await output.cancel().catch(() => {});
    await feeding;
  }
}

/** One iterator over sync or async chunks, which can be read from where it was left. */
async function* inOrder(
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield* source;
}

/**
 * Reads and parses a `.heapsnapshot` file in chunks, never holding it whole; a gzip-compressed
 * file (`.heapsnapshot.gz`) is unpacked as it is read.
 *
 * @param path The file.
 * @param options Progress reporting.
 * @throws {HeapSnapshotSyntaxError} For a file that is not a valid snapshot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readHeapSnapshot } from "heapler/heap";
 * import { writeHeapSnapshot } from "heapler/runtime";
 * import { rm } from "node:fs/promises";
 * const raw = await readHeapSnapshot(await writeHeapSnapshot("load-example.heapsnapshot"));
 * assert(raw.nodes.length > 0);
 * await rm("load-example.heapsnapshot");
 * ```
 */
export async function readHeapSnapshot(
  path: string,
  options: ParserOptions = {},
): Promise<RawHeapSnapshot> {
  return await parseHeapSnapshot(readFileChunks(path), options);
}
