import {
  apply,
  brand,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  intrinsicGetter,
  isArray,
  ownKeys,
  propertyIsEnumerable,
} from "./intrinsics.ts";

// Captured at load, so a program that patches built-ins cannot change what we see.
const mapEntries = Map.prototype.entries;
const mapIteratorNext = (getPrototypeOf(new Map().entries()) as Iterator<[unknown, unknown]>)
  .next;
const setValues = Set.prototype.values;
const setIteratorNext = (getPrototypeOf(new Set().values()) as Iterator<unknown>).next;
const typedArrayPrototype = getPrototypeOf(Uint8Array.prototype)!;
const typedArrayBuffer = intrinsicGetter(typedArrayPrototype, "buffer");
const typedArrayTag = intrinsicGetter(typedArrayPrototype, Symbol.toStringTag);
const dataViewBuffer = intrinsicGetter(DataView.prototype, "buffer");
const numberValueOf = Number.prototype.valueOf;
const stringValueOf = String.prototype.valueOf;
const booleanValueOf = Boolean.prototype.valueOf;
const bigintValueOf = BigInt.prototype.valueOf;
const symbolValueOf = Symbol.prototype.valueOf;
const symbolDescription = intrinsicGetter(Symbol.prototype, "description");
const isProxy = brand.isProxy;

/** How a referent is held. */
export type ReferentKind = "property" | "element" | "key" | "value" | "internal" | "prototype";

/** One value a value references, and the name of the reference. */
export interface Referent {
  /** `name`, `[3]`, `[Symbol(id)]`, `[K] key`, `[V] key`, `get name`, `[[buffer]]`, `__proto__`. */
  name: string;
  /** How it is held. */
  kind: ReferentKind;
  /** The referenced value. */
  value: unknown;
}

/** Options of {@linkcode referents}. */
export interface ReferentOptions {
  /** Follow accessor functions and functions' own properties. @default false */
  code?: boolean;
  /** Follow the prototype. @default false */
  prototypes?: boolean;
  /** Name the referents; without names (`""`), walking is faster. @default true */
  names?: boolean;
}

/** Whether a value is an object or a function (something with identity). */
export function isObjectLike(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/**
 * The values `value` references, without running any user code.
 *
 * @param value The value.
 * @param options What else to follow.
 * @returns The referents in a stable order: elements, properties, entries, internals.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referents } from "./referents.ts";
 * const names = referents({ a: 1, get b() { throw new Error("never called"); } }).map((r) => r.name);
 * assert(names.join() === "a");
 * ```
 */
export function referents(value: unknown, options: ReferentOptions = {}): Referent[] {
  const result: Referent[] = [];
  if (!isObjectLike(value) || isProxy(value)) return result;
  const { code = false, prototypes = false, names = true } = options;
  if (typeof value === "function" && !code) return result;
  const array = isArray(value);
  // A typed array's elements are bytes of its buffer, not referents (and there may be millions).
  const keys = brand.isTypedArray(value) ? [] : ownKeys(value);
  for (const key of keys) {
    // An engine-made stack trace (not enumerable) is formatted when its descriptor is read, which
    // runs Error.prepareStackTrace: it is left out, unread.
    if (key === "stack" && !apply(propertyIsEnumerable, value, [key])) continue;
    const descriptor = getOwnPropertyDescriptor(value, key)!;
    if (array && key === "length") continue;
    const index = typeof key === "string" && isIndex(key);
    const name = names ? keyName(key, array && index) : "";
    if ("value" in descriptor) {
      result[result.length] = {
        name,
        kind: index ? "element" : "property",
        value: descriptor.value,
      };
    } else if (code) {
      if (descriptor.get) {
        result[result.length] = {
          name: names ? `get ${name}` : "",
          kind: "property",
          value: descriptor.get,
        };
      }
      if (descriptor.set) {
        result[result.length] = {
          name: names ? `set ${name}` : "",
          kind: "property",
          value: descriptor.set,
        };
      }
    }
  }
  if (brand.isMap(value)) {
    const iterator = apply(mapEntries, value, []);
    for (
      let step = apply(mapIteratorNext, iterator, []);
      !step.done;
      step = apply(mapIteratorNext, iterator, [])
    ) {
      const [key, entry] = step.value;
      const label = names ? describeKey(key) : "";
      result[result.length] = { name: names ? `[K] ${label}` : "", kind: "key", value: key };
      result[result.length] = { name: names ? `[V] ${label}` : "", kind: "value", value: entry };
    }
  } else if (brand.isSet(value)) {
    const iterator = apply(setValues, value, []);
    let index = 0;
    for (
      let step = apply(setIteratorNext, iterator, []);
      !step.done;
      step = apply(setIteratorNext, iterator, [])
    ) {
      result[result.length] = {
        name: `[S${index++}] ${describeKey(step.value)}`,
        kind: "key",
        value: step.value,
      };
    }
  } else if (brand.isTypedArray(value)) {
    result[result.length] = {
      name: "[[buffer]]",
      kind: "internal",
      value: apply(typedArrayBuffer, value, []),
    };
  } else if (brand.isDataView(value)) {
    result[result.length] = {
      name: "[[buffer]]",
      kind: "internal",
      value: apply(dataViewBuffer, value, []),
    };
  } else if (brand.isBoxedPrimitive(value)) {
    result[result.length] = {
      name: "[[PrimitiveValue]]",
      kind: "internal",
      value: boxedValue(value),
    };
  }
  if (prototypes) {
    const prototype = getPrototypeOf(value);
    if (prototype !== null) {
      result[result.length] = { name: "__proto__", kind: "prototype", value: prototype };
    }
  }
  return result;
}

/** The value inside a boxed primitive, read with the intrinsic `valueOf`. */
function boxedValue(value: object): unknown {
  if (brand.isNumberObject(value)) return apply(numberValueOf, value, []);
  if (brand.isStringObject(value)) return apply(stringValueOf, value, []);
  if (brand.isBooleanObject(value)) return apply(booleanValueOf, value, []);
  if (brand.isBigIntObject(value)) return apply(bigintValueOf, value, []);
  return apply(symbolValueOf, value, []);
}

function keyName(key: string | symbol, arrayIndex: boolean): string {
  if (typeof key === "symbol") return `[${describeSymbol(key)}]`;
  return arrayIndex ? `[${key}]` : key;
}

function isIndex(key: string): boolean {
  const code = key.charCodeAt(0);
  return code >= 48 && code <= 57 && String(Number(key)) === key;
}

function describeSymbol(symbol: symbol): string {
  const description = apply(symbolDescription, symbol, []) as string | undefined;
  return description === undefined ? "Symbol()" : `Symbol(${description})`;
}

/**
 * A short, safe description of a value for a referent's name: primitives as text (strings
 * clipped to 32 characters), objects as `<Tag>`. Never calls user code.
 *
 * @param value Any value.
 * @returns The description.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeKey } from "./referents.ts";
 * assert(describeKey("id") === "id" && describeKey(new Map()) === "<Map>");
 * ```
 */
export function describeKey(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value.length > 32 ? `${value.slice(0, 29)}...` : value;
    case "symbol":
      return describeSymbol(value);
    case "bigint":
      return `${value}n`;
    case "object":
    case "function":
      if (value === null) return "null";
      if (isProxy(value)) return "<Proxy>";
      return `<${typeTag(value)}>`;
    default:
      return String(value);
  }
}

/**
 * The tag `Object.prototype.toString` would give an object (`Object`, `Array`, `Map`,
 * `Uint8Array`…), found without running user code: a `Symbol.toStringTag` is read only where it is
 * a data property on the object or its prototypes (a getter or a Proxy on the way is not
 * consulted), otherwise the tag comes from brand checks.
 *
 * @param value An object.
 * @returns The tag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { typeTag } from "./referents.ts";
 * class Tagged {
 *   get [Symbol.toStringTag]() {
 *     throw new Error("never called");
 *   }
 * }
 * assert(typeTag(new Tagged()) === "Object" && typeTag(new Map()) === "Map");
 * ```
 */
export function typeTag(value: object): string {
  if (isProxy(value)) return "Proxy";
  if (typeof value === "function") return "Function";
  if (isArray(value)) return "Array";
  if (brand.isTypedArray(value)) return apply(typedArrayTag, value, []) as string;
  for (let at: object | null = value; at !== null && !isProxy(at); at = getPrototypeOf(at)) {
    const descriptor = getOwnPropertyDescriptor(at, Symbol.toStringTag);
    if (descriptor === undefined) continue;
    if ("value" in descriptor && typeof descriptor.value === "string") return descriptor.value;
    break; // a getter, or not a string: not consulted
  }
  return builtinTag(value);
}

/** The tag of an object from its internal slots, as `Object.prototype.toString` starts with. */
function builtinTag(value: object): string {
  if (brand.isArgumentsObject(value)) return "Arguments";
  if (brand.isNativeError(value)) return "Error";
  if (brand.isBooleanObject(value)) return "Boolean";
  if (brand.isNumberObject(value)) return "Number";
  if (brand.isStringObject(value)) return "String";
  if (brand.isDate(value)) return "Date";
  if (brand.isRegExp(value)) return "RegExp";
  return "Object";
}

/**
 * The name of a value's constructor, read through descriptors only: `Foo` for `new Foo()`,
 * `Object` for a plain object, `Object` for a null-prototype one, `Proxy` for a Proxy.
 *
 * @param value An object or function.
 * @returns The class name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { className } from "./referents.ts";
 * class Foo {}
 * assert(className(new Foo()) === "Foo" && className(Object.create(null)) === "Object");
 * ```
 */
export function className(value: object): string {
  if (isProxy(value)) return "Proxy";
  if (typeof value === "function") return "Function";
  const prototype = getPrototypeOf(value);
  if (prototype === null) return "Object";
  const constructor = ownDataValue(prototype, "constructor");
  if (typeof constructor === "function" && !isProxy(constructor)) {
    const name = ownDataValue(constructor, "name");
    if (typeof name === "string" && name !== "") return name;
  }
  return typeTag(value);
}

function ownDataValue(target: object | null, key: string | symbol): unknown {
  if (target === null || isProxy(target)) return undefined;
  const descriptor = getOwnPropertyDescriptor(target, key);
  return descriptor !== undefined && "value" in descriptor ? descriptor.value : undefined;
}
