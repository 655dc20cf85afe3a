/**
 * Pympler's `classtracker` and `classtracker_stats` for JavaScript: instances of chosen classes,
 * their lifetimes and sizes over time, and reports on the console, in HTML and as JSON dumps.
 *
 * Mapping from Pympler: `track_class(cls)` → `trackClass(cls)`, which returns the constructor to
 * make tracked instances with (or decorate the class with `@tracker.decorate()`); for a class you
 * cannot change, `trackClass(cls, { discover: true })` finds its instances in heap snapshots.
 * `create_snapshot` → `createSnapshot` (async: snapshots run one at a time);
 * `start_periodic_snapshots` → `startPeriodicSnapshots({ interval })`; `ConsoleStats`,
 * `HtmlStats`, `dump_stats`/`load_stats` (JSON with a format version, not pickle).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClassTracker } from "heapler/classtracker";
 * const tracker = new ClassTracker();
 * const Employee = tracker.trackClass(class Employee { name = "Grace"; });
 * await tracker.createSnapshot("before");
 * const staff = Array.from({ length: 10 }, () => new Employee());
 * await tracker.createSnapshot("after");
 * assert(tracker.stats.annotateSnapshot(tracker.snapshots[1]!).get("Employee")!.active === 10);
 * assert(staff.length === 10);
 * ```
 *
 * @module
 */
export {
  type Class,
  ClassTracker,
  type ClassTrackerOptions,
  type TrackClassOptions,
  type TrackOptions,
} from "./tracker.ts";
export {
  type ClassAnnotation,
  ConsoleStats,
  type SortKey,
  Stats,
  StatsFormatError,
  type StatsOptions,
  type TrackerRecords,
} from "./stats.ts";
export { HtmlStats } from "./html.ts";
export {
  ClassSnapshot,
  type SizeSample,
  type SystemMemory,
  type TraceFrame,
  TrackedObject,
} from "./tracked_object.ts";
