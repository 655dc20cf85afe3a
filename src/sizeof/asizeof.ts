import { brand, isArray, isInteger, isObjectLike, referents } from "../reflect/mod.ts";
import { type Layout, layoutFor, type Shape } from "./_layout.ts";
import { type AsizeofOptions, Asizer } from "./asizer.ts";
import { Asized } from "./asized.ts";
import { detectRuntime } from "../runtime/mod.ts";

/**
 * The size in bytes of `value` and everything it references (within `limit`), each object
 * once. Getters, Proxy traps and `toString` never run; cycles and million-deep chains are fine.
 *
 * @param value The value.
 * @param options Pympler's options.
 * @returns Bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asizeof } from "heapler/sizeof";
 * const list = [1, 2, 3];
 * assert(asizeof({ list }) > asizeof(list) && asizeof(list, { limit: 0 }) < asizeof(list) + 1);
 * ```
 */
export function asizeof(value: unknown, options: AsizeofOptions = {}): number {
  return new Asizer(options).asizeof(value);
}

/**
 * The combined size of several values; what they share counts once.
 *
 * @param values The values.
 * @param options Pympler's options.
 * @returns Bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asizeof, asizeofAll } from "heapler/sizeof";
 * const a = { name: "a" };
 * assert(asizeofAll([a, a]) === asizeof(a) && asizeofAll([]) === 0);
 * ```
 */
export function asizeofAll(values: readonly unknown[], options: AsizeofOptions = {}): number {
  return new Asizer(options).asizeof(...values);
}

/**
 * One size per value: what several reach is charged to the first that reaches it, and a value
 * given twice sizes 0 the second time.
 *
 * @param values The values.
 * @param options Pympler's options.
 * @returns The sizes, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asizesof } from "heapler/sizeof";
 * const t = { payload: "y".repeat(200) };
 * const [a, b] = asizesof([[t], [t]]);
 * assert(a! > b! && asizesof([]).length === 0);
 * ```
 */
export function asizesof(values: readonly unknown[], options: AsizeofOptions = {}): number[] {
  return new Asizer(options).asizesof(...values);
}

/**
 * Sizes `value` into an {@linkcode Asized} tree: its size, flat size, and its referents' sizes
 * down to `detail` levels.
 *
 * @param value The value.
 * @param options Pympler's options, `detail` above all.
 * @returns The tree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asized, asizeof } from "heapler/sizeof";
 * const tree = asized({ data: 4.5 }, { detail: 1 });
 * assert(tree.get("data")!.size === asizeof(4.5) && tree.size === asizeof({ data: 4.5 }));
 * ```
 */
export function asized(value: unknown, options: AsizeofOptions = {}): Asized {
  return new Asizer(options).asized(value)[0]!;
}

/**
 * {@linkcode asized} for several values, sharing one pass.
 *
 * @param values The values.
 * @param options Pympler's options.
 * @returns One tree per value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { asizedAll } from "heapler/sizeof";
 * assert(asizedAll([{}, []]).length === 2 && asizedAll([]).length === 0);
 * ```
 */
export function asizedAll(values: readonly unknown[], options: AsizeofOptions = {}): Asized[] {
  return new Asizer(options).asized(...values);
}

let cachedLayout: Layout | undefined;
function layout(): Layout {
  if (cachedLayout === undefined) {
    const runtime = detectRuntime();
    cachedLayout = layoutFor(
      runtime.engine,
      runtime.pointerCompression,
      runtime.runtime === "deno",
    );
  }
  return cachedLayout;
}

/**
 * The flat size of a value: the bytes of the value itself, without what it references
 * (`asizeof(value, { limit: 0 })` unaligned), optionally aligned.
 *
 * @param value The value.
 * @param align A power of two to round up to; below 2, none. @default 0
 * @returns Bytes.
 * @throws {RangeError} If `align` is not a power of two.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flatsize } from "heapler/sizeof";
 * assert(flatsize("x".repeat(100)) >= 100 && flatsize(7) === 0);
 * ```
 */
export function flatsize(value: unknown, align = 0): number {
  return new Asizer({ align, limit: 0, ignored: false, code: true }).asizeof(value);
}

/**
 * The basic size of a value's kind: what one with no properties, elements or characters takes.
 *
 * @param value The value.
 * @returns Bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicsize } from "heapler/sizeof";
 * assert(basicsize([1, 2, 3]) === basicsize([]));
 * ```
 */
export function basicsize(value: unknown): number {
  return layout().flat(emptyShape(value));
}

/**
 * The bytes one more item (property, element, entry, character) adds to a value of this kind,
 * on average (hash tables grow by powers of two).
 *
 * @param value The value.
 * @returns Bytes per item; 0 for kinds without items.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { itemsize } from "heapler/sizeof";
 * assert(itemsize([]) > 0 && itemsize(new Date()) === 0);
 * ```
 */
export function itemsize(value: unknown): number {
  const empty = emptyShape(value);
  const many = growShape(empty, 66);
  return many === undefined ? 0 : (layout().flat(many) - layout().flat(growShape(empty, 2)!)) / 64;
}

/**
 * The number of items a value holds (Pympler's `leng`): elements of an array, entries of a Map
 * or Set, characters of a string, properties of an object, digits of a bigint.
 *
 * @param value The value.
 * @returns The count, or undefined for a value without items.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { leng } from "heapler/sizeof";
 * assert(leng([1, 2, 3]) === 3 && leng("abc") === 3 && leng(new Map([[1, 2]])) === 1 && leng(42) === undefined);
 * ```
 */
export function leng(value: unknown): number | undefined {
  if (typeof value === "string") return value.length;
  if (typeof value === "bigint") {
    return Math.max(1, Math.ceil((value < 0n ? -value : value).toString(16).length / 16));
  }
  if (!isObjectLike(value)) return undefined;
  const found = referents(value);
  const kinds = brand.isMap(value)
    ? ["value"]
    : brand.isSet(value)
    ? ["key"]
    : ["property", "element"];
  return found.filter((referent) => kinds.includes(referent.kind)).length;
}

/**
 * The values a value references, as sizing follows them: own properties read through
 * descriptors, elements, Map and Set entries, typed-array buffers, boxed values.
 *
 * @param value The value.
 * @param options `code` follows accessor functions; `prototypes` the prototype.
 * @returns The referents, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { refs } from "heapler/sizeof";
 * const child = {};
 * assert(refs({ child })[0] === child);
 * ```
 */
export function refs(
  value: unknown,
  options: { code?: boolean; prototypes?: boolean } = {},
): unknown[] {
  return referents(value, options).map((referent) => referent.value);
}

function emptyShape(value: unknown): Shape {
  if (typeof value === "string") return { kind: "string", length: 2, twoByte: false };
  if (typeof value === "number") return { kind: "number", boxed: !isInteger(value) };
  if (typeof value === "bigint") return { kind: "bigint", digits: 1 };
  if (typeof value === "symbol") return { kind: "symbol" };
  if (!isObjectLike(value)) return { kind: "number", boxed: false };
  if (brand.isProxy(value)) return { kind: "proxy" };
  if (isArray(value)) {
    return { kind: "array", length: 0, elements: 0, properties: 0, sparse: false };
  }
  if (brand.isMap(value)) return { kind: "map", size: 0, properties: 0 };
  if (brand.isSet(value)) return { kind: "set", size: 0, properties: 0 };
  if (typeof value === "function") {
    return { kind: "function", prototypeSlot: false, properties: 0, code: 0 };
  }
  if (brand.isDate(value)) return { kind: "date", smallTime: false };
  return { kind: "object", properties: 1, elements: 0, dictionary: false, instance: false };
}

function growShape(shape: Shape, items: number): Shape | undefined {
  switch (shape.kind) {
    case "array":
      return { ...shape, length: items, elements: items };
    case "map":
    case "set":
      return { ...shape, size: items };
    case "object":
      return { ...shape, properties: Math.max(1, items) };
    case "string":
      return { ...shape, length: Math.max(2, items) };
    default:
      return undefined;
  }
}
