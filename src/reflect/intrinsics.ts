/**
 * The built-ins sizing relies on, captured when heapler loads: a program that patches `Reflect`,
 * `Object`, `Array.isArray`, `util.types` or the methods of `Set` and `Map` afterwards changes
 * neither what sizing sees nor what it runs.
 *
 * @module
 */
import { types } from "node:util";

export const ownKeys = Reflect.ownKeys;
export const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
export const getPrototypeOf = Reflect.getPrototypeOf;
export const apply = Reflect.apply;
export const isArray = Array.isArray;
export const objectIs = Object.is;
export const objectKeys = Object.keys;
export const objectEntries = Object.entries;
export const isInteger = Number.isInteger;
export const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

/** `util.types`' brand checks, as they were at load. */
export const brand: Readonly<typeof types> = Object.freeze({ ...types });

/** The intrinsic getter behind a built-in accessor, e.g. `Map.prototype.size`. */
export function intrinsicGetter(prototype: object, key: PropertyKey): (this: unknown) => unknown {
  return getOwnPropertyDescriptor(prototype, key)!.get!;
}

/** Gives a subclass the methods of its built-in base as own properties, as they were at load. */
function pinMethods(subclass: { prototype: object }, base: { prototype: object }): void {
  for (const key of ownKeys(base.prototype)) {
    if (key === "constructor") continue;
    const descriptor = getOwnPropertyDescriptor(base.prototype, key)!;
    Object.defineProperty(subclass.prototype, key, descriptor);
  }
}

/**
 * A `Set` whose methods are the intrinsic ones, whatever the program later does to
 * `Set.prototype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SafeSet } from "./intrinsics.ts";
 * const seen = new SafeSet<object>();
 * seen.add(globalThis);
 * assert(seen.has(globalThis) && seen.size === 1);
 * ```
 */
export class SafeSet<T> extends Set<T> {}
pinMethods(SafeSet, Set);

/**
 * A `Map` whose methods are the intrinsic ones, whatever the program later does to
 * `Map.prototype`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SafeMap } from "./intrinsics.ts";
 * const counts = new SafeMap<string, number>();
 * counts.set("a", 1);
 * assert(counts.get("a") === 1);
 * ```
 */
export class SafeMap<K, V> extends Map<K, V> {}
pinMethods(SafeMap, Map);
