/**
 * Pympler's `tracker` for JavaScript: `SummaryTracker` diffs type summaries between points in
 * time, `ObjectTracker` lists the objects created and freed in between (by object id).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SummaryTracker } from "heapler/tracker";
 * const tracker = new SummaryTracker();
 * const kept = Array.from({ length: 1000 }, () => new (class Widget {})());
 * const diff = await tracker.diff();
 * assert(diff.some(([type, count]) => type === "Widget" && count === 1000));
 * assert(kept.length === 1000);
 * ```
 *
 * @module
 */
export {
  type ObjectDiffFormatOptions,
  ObjectTracker,
  SummaryTracker,
  type SummaryTrackerOptions,
} from "./tracker.ts";
