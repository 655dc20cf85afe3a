/**
 * Where memory is wasted, beyond leaks: strings held in many identical copies, empty collections
 * kept in numbers, plain objects of one shape that a class would lay out smaller, scopes that
 * closures keep alive, properties the program put on the global object — and, over three or more
 * snapshots, the types, shapes and collections that grow at every step. And a picture of what
 * keeps the memory alive: the largest owners as a treemap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatInsights, insights } from "heapler/insights";
 * import { HeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * const found = insights(await HeapSnapshot.parse(takeHeapSnapshot()));
 * assert(formatInsights(found)[0]!.startsWith("Duplicated strings:"));
 * ```
 *
 * @module
 */
export {
  type ClosureScope,
  type DuplicatedString,
  type EmptyCollections,
  type GlobalVariable,
  type Holder,
  type Insight,
  type InsightOptions,
  type Insights,
  insights,
  type ObjectShape,
  type OversizedArray,
  type SparseArray,
  type StaleCollection,
} from "./insights.ts";
export {
  type GrowingGroup,
  type GrowingObject,
  growingTypes,
  type Growth,
  type GrowthExample,
  unboundGrowth,
} from "./growth.ts";
export { formatGrowth, formatInsights } from "./report.ts";
export { ownerBoxes, ownersTreemap, type TreemapBox, type TreemapOptions } from "./treemap.ts";
