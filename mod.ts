/**
 * heapler: Pympler for JavaScript. Measures, monitors and analyzes the memory of the objects of
 * a running Node, Deno or Bun program, and `.heapsnapshot` files.
 *
 * @example
 * ```ts
 * import { pp, ProcessMemoryInfo, SummaryTracker } from "heapler";
 * console.assert(pp(new ProcessMemoryInfo().rss ?? 0).endsWith("B"));
 * const tracker = new SummaryTracker();
 * const cache = Array.from({ length: 100 }, () => new (class Entry {})());
 * console.assert((await tracker.diff()).some(([type, count]) => type === "Entry" && count === 100));
 * console.assert(cache.length === 100);
 * ```
 *
 * @module
 */
export * from "./src/format/mod.ts";
export * from "./src/process/mod.ts";
export {
  collectGarbage,
  detectRuntime,
  type RuntimeInfo,
  settleFinalizers,
  SnapshotUnsupportedError,
  takeHeapSnapshot,
  writeFileAtomic,
  writeHeapSnapshot,
} from "./src/runtime/mod.ts";
export * from "./src/heap/mod.ts";
export * from "./src/sizeof/mod.ts";
/** Pympler's `muppy`: every object of the program, diffs by id, filters, referents. */
export * as muppy from "./src/muppy/mod.ts";
/** Pympler's `summary`: type summaries, their diffs, and the table. */
export * as summary from "./src/muppy/summary.ts";
export { ObjectTracker, SummaryTracker, type SummaryTrackerOptions } from "./src/muppy/tracker.ts";
export type { SummaryRow } from "./src/muppy/summary.ts";
export { ReferenceGraph, type ReferenceGraphOptions } from "./graph/reference_graph.ts";
export {
  type BrowserOptions,
  ConsoleBrowser,
  FileBrowser,
  formatTree,
  type NodeRecord,
  RefBrowser,
  referrerTree,
  type RefNode,
} from "./src/refbrowser/mod.ts";
export { assertNoLeak, expectNoLeak, LeakError, type NoLeakOptions } from "./src/testing/mod.ts";
export {
  createProfilerHandler,
  MemoryMiddleware,
  type RequestRecord,
  startInBackground,
  startProfiler,
} from "./src/web/mod.ts";
export {
  ClassSnapshot,
  ClassTracker,
  ConsoleStats,
  HtmlStats,
  Stats,
  StatsFormatError,
  type TrackClassOptions,
  TrackedObject,
  type TrackOptions,
} from "./src/classtracker/mod.ts";
export {
  endDebugGarbage,
  GarbageGraph,
  type GarbageGraphOptions,
  type GarbageObject,
  startDebugGarbage,
} from "./graph/garbage_graph.ts";
