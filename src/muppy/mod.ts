/**
 * Pympler's `muppy` for JavaScript: every object of the running program (from a heap
 * snapshot), their sizes, diffs between two lists, filters, and referents.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getObjects, getSize } from "heapler/muppy";
 * const objects = await getObjects();
 * assert(objects.length > 1000 && getSize(objects) > 0);
 * ```
 *
 * @module
 */
export {
  filter,
  type FilterOptions,
  getDiff,
  getObjects,
  type GetObjectsOptions,
  getReferents,
  getSize,
  type ObjectDiff,
  objectsOf,
  type ObjectsOptions,
  sort,
} from "./muppy.ts";
export type { HeapObject } from "../heap/mod.ts";
