/**
 * The heap snapshot engine: a streaming parser of V8-format `.heapsnapshot` files (written by
 * Node, Deno, Bun and Chrome DevTools) into typed arrays.
 *
 * @example
 * ```ts
 * import { parseHeapSnapshot } from "./mod.ts";
 * import { takeHeapSnapshot } from "../runtime/mod.ts";
 * const raw = await parseHeapSnapshot(takeHeapSnapshot());
 * console.assert(raw.header.meta.node_fields.includes("self_size"));
 * ```
 *
 * @module
 */
export { parseHeapSnapshot, readHeapSnapshot, type SnapshotSource } from "./load.ts";
export {
  type HeapSnapshotHeader,
  type HeapSnapshotMeta,
  HeapSnapshotParser,
  HeapSnapshotSyntaxError,
  type ParserOptions,
  type RawHeapSnapshot,
} from "./parser.ts";
