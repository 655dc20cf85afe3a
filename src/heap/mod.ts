/**
 * The heap snapshot engine: a streaming parser of V8-format `.heapsnapshot` files (written by
 * Node, Deno, Bun and Chrome DevTools) into typed arrays, a model with node and edge views,
 * retainers, dominators and retained sizes as DevTools computes them, diffs by object id,
 * leak finding across three snapshots, and locating live values through markers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * const snapshot = await HeapSnapshot.parse(takeHeapSnapshot());
 * assert(snapshot.node(snapshot.root).retainedSize > 0);
 * ```
 *
 * @module
 */
export {
  diffById,
  findLeaks,
  type LeakGroup,
  type LeakOptions,
  type SnapshotDiff,
  UnstableIdsError,
} from "./diff.ts";
export { HeapEdge, HeapNode, type HeapObject, HeapSnapshot } from "./heap_snapshot.ts";
export { parseHeapSnapshot, readHeapSnapshot, type SnapshotSource } from "./load.ts";
export { type MarkedSnapshot, snapshotWithValues } from "./marker.ts";
export type { Selection } from "./selection.ts";
export {
  type HeapSnapshotHeader,
  type HeapSnapshotMeta,
  HeapSnapshotSyntaxError,
  type ParserOptions,
  type RawHeapSnapshot,
} from "./parser.ts";
