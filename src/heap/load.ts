import { readFileChunks } from "../runtime/mod.ts";
import { HeapSnapshotParser, type ParserOptions, type RawHeapSnapshot } from "./parser.ts";

/** Where a snapshot's bytes come from: the bytes themselves, or chunks (a stream, a generator). */
export type SnapshotSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

const CHUNK_BYTES = 1 << 20;

/**
 * Parses a heap snapshot from bytes or from chunks, such as `takeHeapSnapshot()` of the running
 * program or any stream of a `.heapsnapshot` file.
 *
 * @param source The bytes, or an (async) iterable of chunks.
 * @param options Progress reporting.
 * @returns The parsed arrays.
 * @throws {HeapSnapshotSyntaxError} For input that is not a valid snapshot.
 *
 * @example
 * ```ts
 * import { parseHeapSnapshot } from "./load.ts";
 * import { takeHeapSnapshot } from "../runtime/mod.ts";
 * const raw = await parseHeapSnapshot(takeHeapSnapshot());
 * console.assert(raw.strings.length > 0);
 * ```
 */
export async function parseHeapSnapshot(
  source: SnapshotSource,
  options: ParserOptions = {},
): Promise<RawHeapSnapshot> {
  const parser = new HeapSnapshotParser(options);
  if (source instanceof Uint8Array) {
    for (let start = 0; start < source.length; start += CHUNK_BYTES) {
      parser.write(source.subarray(start, start + CHUNK_BYTES));
    }
  } else {
    for await (const chunk of source) parser.write(chunk);
  }
  return parser.close();
}

/**
 * Reads and parses a `.heapsnapshot` file in chunks, never holding it whole.
 *
 * @param path The file.
 * @param options Progress reporting.
 * @throws {HeapSnapshotSyntaxError} For a file that is not a valid snapshot.
 *
 * @example
 * ```ts
 * import { readHeapSnapshot } from "./load.ts";
 * import { writeHeapSnapshot } from "../runtime/mod.ts";
 * import { rm } from "node:fs/promises";
 * const raw = await readHeapSnapshot(await writeHeapSnapshot("load-example.heapsnapshot"));
 * console.assert(raw.nodes.length > 0);
 * await rm("load-example.heapsnapshot");
 * ```
 */
export async function readHeapSnapshot(
  path: string,
  options: ParserOptions = {},
): Promise<RawHeapSnapshot> {
  return await parseHeapSnapshot(readFileChunks(path), options);
}
