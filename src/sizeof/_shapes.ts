/**
 * What a value is to the layout model: its shape (kind, sizes of its parts) read by reflection
 * without running user code, its type key in profiles, and a short description.
 *
 * @module
 */
import {
  apply,
  brand,
  className,
  describeKey,
  getOwnPropertyDescriptor,
  isArray,
  isInteger,
  isObjectLike,
  objectIs,
  ownKeys,
  typeTag,
} from "../reflect/mod.ts";
import type { Shape } from "./_layout.ts";
const SMI_MIN = -(2 ** 30);
const SMI_MAX = 2 ** 30 - 1;
/** Whether V8 holds a number unboxed, as a small integer. */
export const isSmi = (value: number): boolean =>
  isInteger(value) && value >= SMI_MIN && value <= SMI_MAX && !objectIs(value, -0);

const BOXED_NUMBER: Shape = { kind: "number", boxed: true };
const NO_SIZE: Shape = { kind: "number", boxed: false };

/**
 * Where a number is held, which decides whether it takes a heap object of its own: in an
 * array's storage (unboxed), in a tagged slot (boxed unless a small integer), or in a field
 * whose representation is double (boxed always).
 */
export type NumberSlot = typeof UNBOXED | typeof TAGGED | typeof DOUBLE_FIELD;
export const UNBOXED = 0;
export const TAGGED = 1;
export const DOUBLE_FIELD = 2;

/** The shape of a primitive held in `slot`. */
export function primitiveShape(value: unknown, slot: NumberSlot): Shape {
  switch (typeof value) {
    case "string":
      return { kind: "string", length: value.length, twoByte: isTwoByte(value) };
    case "number":
      return slot === DOUBLE_FIELD || (slot === TAGGED && !isSmi(value)) ? BOXED_NUMBER : NO_SIZE;
    case "bigint": {
      const magnitude = value < 0n ? -value : value;
      return {
        kind: "bigint",
        digits: magnitude === 0n ? 0 : Math.ceil(magnitude.toString(16).length / 16),
      };
    }
    case "symbol":
      return { kind: "symbol" };
    default:
      return NO_SIZE; // undefined, null, booleans: shared, no size
  }
}

function isTwoByte(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return true;
  return false;
}

/** What the sizer already knows of an object when it asks for its shape. */
export interface ObjectFacts {
  /** Own properties its referents hold. */
  properties: number;
  /** Elements its referents hold. */
  elements: number;
  /** Whether it is a Proxy. */
  proxy: boolean;
  /** Whether it is an array (and not a Proxy). */
  array: boolean;
  /** Its prototype, read when it is neither a Proxy, an array nor a function. */
  prototype: object | null;
}

/** Reads what the layout model needs from an object, by brand checks only. */
export function objectShape(value: object, facts: ObjectFacts, code: boolean): Shape {
  const { properties, elements, prototype } = facts;
  if (facts.proxy) return { kind: "proxy" };
  if (typeof value === "function") {
    const prototypeSlot = getOwnPropertyDescriptor(value, "prototype") !== undefined;
    const own = Math.max(0, ownKeys(value).length - (prototypeSlot ? 3 : 2));
    const source = code ? functionSourceLength(value) : 0;
    return { kind: "function", prototypeSlot, properties: own, code: source };
  }
  if (facts.array) {
    const length = (value as unknown[]).length; // an array's own data property: no getter
    return {
      kind: "array",
      length,
      elements,
      properties,
      sparse: length > 64 && elements < length / 4,
    };
  }
  if (prototype === Object.prototype) {
    return { kind: "object", properties, elements, dictionary: properties > 128, instance: false };
  }
  if (brand.isMap(value)) {
    return { kind: "map", size: apply(mapSize, value, []) as number, properties };
  }
  if (brand.isSet(value)) {
    return { kind: "set", size: apply(setSize, value, []) as number, properties };
  }
  if (brand.isWeakMap(value)) return { kind: "weakmap" };
  if (brand.isWeakSet(value)) return { kind: "weakset" };
  if (brand.isDate(value)) return { kind: "date", smallTime: isSmi(apply(dateGetTime, value, [])) };
  if (brand.isRegExp(value)) return { kind: "regexp" };
  if (brand.isPromise(value)) return { kind: "promise" };
  if (brand.isNativeError(value)) return { kind: "error", properties };
  if (brand.isAnyArrayBuffer(value)) {
    return { kind: "arraybuffer", byteLength: byteLengthOf(value) };
  }
  if (brand.isTypedArray(value)) return { kind: "typedarray" };
  if (brand.isDataView(value)) return { kind: "dataview" };
  if (brand.isBoxedPrimitive(value)) return { kind: "boxed" };
  if (brand.isGeneratorObject(value)) return { kind: "generator" };
  if (brand.isArgumentsObject(value)) return { kind: "arguments", elements };
  if (typeof WeakRef === "function" && typeTag(value) === "WeakRef") return { kind: "weakref" };
  return {
    kind: "object",
    properties,
    elements,
    dictionary: prototype === null || properties > 128,
    instance: prototype !== null,
  };
}

const byteLengthGetter = getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength")!
  .get!;
const sharedByteLengthGetter = typeof SharedArrayBuffer === "function"
  ? getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength")!.get!
  : undefined;
const functionToString = Function.prototype.toString;
const dateGetTime = Date.prototype.getTime;
const mapSize = getOwnPropertyDescriptor(Map.prototype, "size")!.get!;
const setSize = getOwnPropertyDescriptor(Set.prototype, "size")!.get!;

function byteLengthOf(buffer: object): number {
  try {
    return brand.isSharedArrayBuffer(buffer)
      ? apply(sharedByteLengthGetter!, buffer, []) as number
      : apply(byteLengthGetter, buffer, []) as number;
  } catch {
    return 0;
  }
}

function functionSourceLength(fn: object): number {
  try {
    return (apply(functionToString, fn, []) as string).length;
  } catch {
    return 0;
  }
}

/** The type key of a value in profiles: `class Foo`, `string`, `number`. */
export function typeKey(value: unknown): string {
  if (isObjectLike(value)) return `class ${className(value)}`;
  return value === null ? "null" : typeof value;
}

/** A short safe description: `Foo {…}`, `[…] (3)`, `"text"`, `42`. */
export function describe(value: unknown, clip: number): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (!isObjectLike(value)) text = describeKey(value);
  else if (brand.isProxy(value)) text = "Proxy";
  else if (isArray(value)) {
    text = `Array(${getOwnPropertyDescriptor(value, "length")?.value})`;
  } else {text = describeKey(value).slice(1, -1) === "Object"
      ? className(value)
      : describeKey(value).slice(1, -1);}
  return text.length > clip ? `${text.slice(0, Math.max(0, clip - 4))}....` : text;
}
