/**
 * heapler: Pympler for JavaScript. Measures, monitors and analyzes the memory of the objects of
 * a running Node, Deno or Bun program, and `.heapsnapshot` files.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pp, ProcessMemoryInfo, SummaryTracker } from "heapler";
 * assert(pp(new ProcessMemoryInfo().rss ?? 0).endsWith("B"));
 * const tracker = new SummaryTracker();
 * const cache = Array.from({ length: 100 }, () => new (class Entry {})());
 * assert((await tracker.diff()).some(([type, count]) => type === "Entry" && count === 100));
 * assert(cache.length === 100);
 * ```
 *
 * @module
 */
export { pp } from "./src/format/mod.ts";
export { ProcessMemoryInfo } from "./src/process/mod.ts";
export {
  collectGarbage,
  detectRuntime,
  type RuntimeInfo,
  SnapshotUnsupportedError,
  takeHeapSnapshot,
  writeHeapSnapshot,
} from "./src/runtime/mod.ts";
export {
  findLeaks,
  HeapSnapshot,
  HeapSnapshotSyntaxError,
  readHeapSnapshot,
} from "./src/heap/mod.ts";
export {
  Asized,
  asized,
  asizeof,
  asizeofAll,
  type AsizeofOptions,
  Asizer,
  asizesof,
  exactSizeof,
} from "./src/sizeof/mod.ts";
/** Pympler's `muppy`: every object of the program, diffs by id, filters, referents. */
export * as muppy from "./src/muppy/mod.ts";
/** Pympler's `summary`: type summaries, their diffs, and the table. */
export * as summary from "./src/summary/mod.ts";
export type { SummaryRow } from "./src/summary/mod.ts";
export { ObjectTracker, SummaryTracker, type SummaryTrackerOptions } from "./src/tracker/mod.ts";
export { ReferenceGraph, type ReferenceGraphOptions } from "./src/refgraph/mod.ts";
export {
  endDebugGarbage,
  GarbageGraph,
  type GarbageGraphOptions,
  startDebugGarbage,
} from "./src/garbagegraph/mod.ts";
export { ConsoleBrowser, FileBrowser, RefBrowser } from "./src/refbrowser/mod.ts";
export {
  ClassTracker,
  ConsoleStats,
  HtmlStats,
  Stats,
  StatsFormatError,
  type TrackClassOptions,
  type TrackOptions,
} from "./src/classtracker/mod.ts";
export {
  assertNoLeak,
  expectNoLeak,
  LeakError,
  type NoLeakOptions,
  type NoLeakResult,
} from "./src/testing/mod.ts";
export {
  createProfilerHandler,
  MemoryMiddleware,
  startInBackground,
  startProfiler,
} from "./src/web/mod.ts";
