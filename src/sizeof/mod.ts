/**
 * Pympler's `asizeof` for live JavaScript values: the size of a value and everything it
 * references, from a layout model of the running engine (V8 with or without pointer
 * compression, JavaScriptCore), found by reflection that never runs user code; and an exact
 * mode that measures the same from a heap snapshot.
 *
 * Mapping from Pympler: `asizeof(*objs, **opts)` → `asizeof(value, options)` or
 * `asizeofAll(values, options)`; `asizesof(*objs)` → `asizesof(values, options)`;
 * `asized(obj)` → `asized(value, options)` (and `asizedAll`); `flatsize`, `basicsize`,
 * `itemsize`, `leng`, `refs` take one value. `derive`, `infer` and `adict` have no
 * counterpart: they tune Python's type tables, and JavaScript sizes come from the engine's
 * layout, not from a table per class. `frames` has none: frames are not values in JavaScript.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asizeof, asizesof } from "heapler/sizeof";
 * const shared = { big: "x".repeat(1000) };
 * assert(asizeof([shared, shared]) < 2 * asizeof(shared));
 * const [first, second] = asizesof([[shared], [shared]]);
 * assert(first! > second!);
 * ```
 *
 * @module
 */
export {
  asized,
  asizedAll,
  asizeof,
  asizeofAll,
  asizesof,
  basicsize,
  flatsize,
  itemsize,
  leng,
  refs,
} from "./asizeof.ts";
export { Asized } from "./asized.ts";
export { type AsizeofOptions, Asizer } from "./asizer.ts";
export { type ExactSize, exactSizeof, type ExactSizeOptions } from "./exact.ts";
