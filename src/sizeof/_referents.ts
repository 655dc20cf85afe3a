/**
 * What a live value references, found by reflection without running user code: own string and
 * symbol keys read through descriptors (never a getter, never a Proxy trap), array elements,
 * Map and Set entries, typed-array buffers, boxed values. The one referent rule of `sizeof`,
 * `muppy.getReferents` and `refgraph`.
 *
 * @module
 */
import { types } from "node:util";

// Captured at load, so a program that patches built-ins cannot change what we see.
const ownKeys = Reflect.ownKeys;
const getOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
const getPrototypeOf = Reflect.getPrototypeOf;
const apply = Reflect.apply;
const isArray = Array.isArray;
const mapEntries = Map.prototype.entries;
const mapIteratorNext = (getPrototypeOf(new Map().entries()) as Iterator<[unknown, unknown]>)
  .next;
const setValues = Set.prototype.values;
const setIteratorNext = (getPrototypeOf(new Set().values()) as Iterator<unknown>).next;
const typedArrayBuffer = getOwnPropertyDescriptor(
  getPrototypeOf(Uint8Array.prototype)!,
  "buffer",
)!.get!;
const dataViewBuffer = getOwnPropertyDescriptor(DataView.prototype, "buffer")!.get!;
const numberValueOf = Number.prototype.valueOf;
const stringValueOf = String.prototype.valueOf;
const booleanValueOf = Boolean.prototype.valueOf;
const bigintValueOf = BigInt.prototype.valueOf;
const symbolValueOf = Symbol.prototype.valueOf;
const symbolDescription = getOwnPropertyDescriptor(Symbol.prototype, "description")!.get!;
const objectToString = Object.prototype.toString;
const isProxy = types.isProxy;

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
 * import { referents } from "./_referents.ts";
 * const names = referents({ a: 1, get b() { throw new Error("never called"); } }).map((r) => r.name);
 * console.assert(names.join() === "a");
 * ```
 */
export function referents(value: unknown, options: ReferentOptions = {}): Referent[] {
  const result: Referent[] = [];
  if (!isObjectLike(value) || isProxy(value)) return result;
  const { code = false, prototypes = false, names = true } = options;
  if (typeof value === "function" && !code) return result;
  const array = isArray(value);
  // A typed array's elements are bytes of its buffer, not referents (and there may be millions).
  const keys = types.isTypedArray(value) ? [] : ownKeys(value);
  for (const key of keys) {
    const descriptor = getOwnPropertyDescriptor(value, key)!;
    if (array && key === "length") continue;
    const index = typeof key === "string" && isIndex(key);
    const name = names ? keyName(key, array && index) : "";
    if ("value" in descriptor) {
      result.push({ name, kind: index ? "element" : "property", value: descriptor.value });
    } else if (code) {
      if (descriptor.get) {
        result.push({ name: names ? `get ${name}` : "", kind: "property", value: descriptor.get });
      }
      if (descriptor.set) {
        result.push({ name: names ? `set ${name}` : "", kind: "property", value: descriptor.set });
      }
    }
  }
  if (types.isMap(value)) {
    const iterator = apply(mapEntries, value, []);
    for (
      let step = apply(mapIteratorNext, iterator, []);
      !step.done;
      step = apply(mapIteratorNext, iterator, [])
    ) {
      const [key, entry] = step.value;
      const label = names ? describeKey(key) : "";
      result.push({ name: names ? `[K] ${label}` : "", kind: "key", value: key });
      result.push({ name: names ? `[V] ${label}` : "", kind: "value", value: entry });
    }
  } else if (types.isSet(value)) {
    const iterator = apply(setValues, value, []);
    let index = 0;
    for (
      let step = apply(setIteratorNext, iterator, []);
      !step.done;
      step = apply(setIteratorNext, iterator, [])
    ) {
      result.push({
        name: `[S${index++}] ${describeKey(step.value)}`,
        kind: "key",
        value: step.value,
      });
    }
  } else if (types.isTypedArray(value)) {
    result.push({
      name: "[[buffer]]",
      kind: "internal",
      value: apply(typedArrayBuffer, value, []),
    });
  } else if (types.isDataView(value)) {
    result.push({ name: "[[buffer]]", kind: "internal", value: apply(dataViewBuffer, value, []) });
  } else if (types.isBoxedPrimitive(value)) {
    result.push({ name: "[[PrimitiveValue]]", kind: "internal", value: boxedValue(value) });
  }
  if (prototypes) {
    const prototype = getPrototypeOf(value);
    if (prototype !== null) result.push({ name: "__proto__", kind: "prototype", value: prototype });
  }
  return result;
}

/** The value inside a boxed primitive, read with the intrinsic `valueOf`. */
function boxedValue(value: object): unknown {
  if (types.isNumberObject(value)) return apply(numberValueOf, value, []);
  if (types.isStringObject(value)) return apply(stringValueOf, value, []);
  if (types.isBooleanObject(value)) return apply(booleanValueOf, value, []);
  if (types.isBigIntObject(value)) return apply(bigintValueOf, value, []);
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
 * import { describeKey } from "./_referents.ts";
 * console.assert(describeKey("id") === "id" && describeKey(new Map()) === "<Map>");
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
 * The built-in tag of an object (`Object`, `Array`, `Map`, `Function`…), from the intrinsic
 * `Object.prototype.toString` with `Symbol.toStringTag` not consulted through getters.
 */
export function typeTag(value: object): string {
  if (isProxy(value)) return "Proxy";
  if (typeof value === "function") return "Function";
  if (isArray(value)) return "Array";
  const tag = ownDataValue(value, Symbol.toStringTag) ??
    ownDataValue(getPrototypeOf(value), Symbol.toStringTag);
  if (typeof tag === "string") return tag;
  const text = apply(objectToString, value, []) as string;
  return text.slice(8, -1);
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
 * import { className } from "./_referents.ts";
 * class Foo {}
 * console.assert(className(new Foo()) === "Foo" && className(Object.create(null)) === "Object");
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
