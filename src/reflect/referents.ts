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
 * How a {@linkcode ReferentSink}'s referent is named: by its key (`""`), as an accessor's getter
 * or setter, or as a Set entry (whose key is its position).
 */
export type Via = "" | "get" | "set" | "entry";

/**
 * Receives one referent: how it is held, the value, and what names it (a property key, an
 * element's index, a Map key, a Set position or an internal slot's name).
 */
export type ReferentSink = (kind: ReferentKind, value: unknown, key: unknown, via: Via) => void;

/**
 * Tells `sink` every value `value` references, without running any user code and without
 * allocating a record per referent: the walk that sizing runs a million times a second.
 *
 * @param value The value.
 * @param sink Called once per referent, in the order of {@linkcode referents}.
 * @param code Follow accessor functions and functions' own properties.
 * @param prototypes Follow the prototype.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { visitReferents } from "./referents.ts";
 * const seen: unknown[] = [];
 * visitReferents([1, { a: 2 }], (_kind, value) => seen.push(value), false, false);
 * assert(seen.length === 2 && seen[0] === 1);
 * ```
 */
export function visitReferents(
  value: unknown,
  sink: ReferentSink,
  code: boolean,
  prototypes: boolean,
): void {
  if (!isObjectLike(value) || isProxy(value)) return;
  if (typeof value === "function" && !code) return;
  // An array holds no internal slots (brands exclude each other): its own keys are all.
  const array = isArray(value);
  // A typed array's elements are bytes of its buffer, not referents (and there may be millions).
  const typed = !array && brand.isTypedArray(value);
  if (!typed) visitOwn(value, sink, code, array);
  if (typed) sink("internal", apply(typedArrayBuffer, value, []), "[[buffer]]", "");
  else if (!array) visitSlots(value, sink);
  if (prototypes) {
    const prototype = getPrototypeOf(value);
    if (prototype !== null) sink("prototype", prototype, "__proto__", "");
  }
}

/** Entries and internal slots: Map and Set entries, a DataView's buffer, a boxed value. */
function visitSlots(value: object, sink: ReferentSink): void {
  if (brand.isMap(value)) {
    const iterator = apply(mapEntries, value, []);
    for (
      let step = apply(mapIteratorNext, iterator, []);
      !step.done;
      step = apply(mapIteratorNext, iterator, [])
    ) {
      const [key, entry] = step.value;
      sink("key", key, key, "");
      sink("value", entry, key, "");
    }
  } else if (brand.isSet(value)) {
    const iterator = apply(setValues, value, []);
    let index = 0;
    for (
      let step = apply(setIteratorNext, iterator, []);
      !step.done;
      step = apply(setIteratorNext, iterator, [])
    ) {
      sink("key", step.value, index++, "entry");
    }
  } else if (brand.isDataView(value)) {
    sink("internal", apply(dataViewBuffer, value, []), "[[buffer]]", "");
  } else if (brand.isBoxedPrimitive(value)) {
    sink("internal", boxedValue(value), "[[PrimitiveValue]]", "");
  }
}

/** Own properties and elements, through descriptors. */
function visitOwn(value: object, sink: ReferentSink, code: boolean, array: boolean): void {
  const keys = ownKeys(value);
  let first = 0;
  if (array) {
    // Keys list indices ascending, then `length` (an array's first named key): when `length`
    // follows `length` indices, the array is dense and its indices are read as numbers, which
    // spares a string lookup per element.
    const length = (value as unknown[]).length;
    if (keys[length] === "length") {
      for (let index = 0; index < length; index++) {
        visitDescriptor(getOwnPropertyDescriptor(value, index)!, "element", index, sink, code);
      }
      first = length + 1;
    }
  }
  for (let at = first; at < keys.length; at++) {
    const key = keys[at]!;
    if (array && key === "length") continue;
    // An engine-made stack trace (not enumerable) is formatted when its descriptor is read, which
    // runs Error.prepareStackTrace: it is left out, unread.
    if (key === "stack" && !apply(propertyIsEnumerable, value, [key])) continue;
    const kind = typeof key === "string" && isIndex(key) ? "element" : "property";
    visitDescriptor(getOwnPropertyDescriptor(value, key)!, kind, key, sink, code);
  }
}

function visitDescriptor(
  descriptor: PropertyDescriptor,
  kind: "element" | "property",
  key: PropertyKey,
  sink: ReferentSink,
  code: boolean,
): void {
  if ("value" in descriptor) sink(kind, descriptor.value, key, "");
  else if (code) {
    if (descriptor.get) sink("property", descriptor.get, key, "get");
    if (descriptor.set) sink("property", descriptor.set, key, "set");
  }
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
  const { code = false, prototypes = false, names = true } = options;
  const result: Referent[] = [];
  const array = isArray(value);
  visitReferents(
    value,
    (kind, referent, key, via) => {
      result[result.length] = {
        name: names ? referentName(kind, referent, key, via, array) : "",
        kind,
        value: referent,
      };
    },
    code,
    prototypes,
  );
  return result;
}

/**
 * The name {@linkcode referents} gives a referent a {@linkcode ReferentSink} was told about.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referentName } from "./referents.ts";
 * assert(referentName("element", 7, 0, "", true) === "[0]" && referentName("value", 1, "id", "", false) === "[V] id");
 * ```
 */
export function referentName(
  kind: ReferentKind,
  value: unknown,
  key: unknown,
  via: Via,
  array: boolean,
): string {
  switch (kind) {
    case "key":
      return via === "entry" ? `[S${key}] ${describeKey(value)}` : `[K] ${describeKey(key)}`;
    case "value":
      return `[V] ${describeKey(key)}`;
    case "internal":
    case "prototype":
      return key as string;
    default: {
      const name = keyName(key as string | number | symbol, array && kind === "element");
      return via === "" ? name : `${via} ${name}`;
    }
  }
}

/** The value inside a boxed primitive, read with the intrinsic `valueOf`. */
function boxedValue(value: object): unknown {
  if (brand.isNumberObject(value)) return apply(numberValueOf, value, []);
  if (brand.isStringObject(value)) return apply(stringValueOf, value, []);
  if (brand.isBooleanObject(value)) return apply(booleanValueOf, value, []);
  if (brand.isBigIntObject(value)) return apply(bigintValueOf, value, []);
  return apply(symbolValueOf, value, []);
}

function keyName(key: string | number | symbol, arrayIndex: boolean): string {
  if (typeof key === "symbol") return `[${describeSymbol(key)}]`;
  return arrayIndex ? `[${key}]` : String(key);
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
