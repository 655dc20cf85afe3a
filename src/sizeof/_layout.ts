/**
 * Layout models: the bytes one value takes on an engine, from what reflection can see of it.
 * Fitted to heap snapshots of Node 20, Deno 2.9 and Bun 1.4 (see
 * `shared/reference/runtimes-sizes.md`); pointer-compressed V8 halves V8's tagged fields.
 *
 * @module
 */

/** What the walker found out about one value, for its flat size. */
export type Shape =
  | { kind: "string"; length: number; twoByte: boolean }
  | { kind: "number"; boxed: boolean }
  | { kind: "bigint"; digits: number }
  | { kind: "symbol" }
  | {
    kind: "object";
    /** Own properties reflection sees. */
    properties: number;
    elements: number;
    dictionary: boolean;
    instance: boolean;
    /** Fields reflection cannot list (a class's `#private` ones). */
    hidden?: number;
    /** The in-object slots its class's hidden class gives it; without, as many as it has (a literal). */
    inObject?: number;
  }
  | {
    kind: "array";
    length: number;
    elements: number;
    properties: number;
    sparse: boolean;
  }
  | { kind: "map" | "set"; size: number; properties: number }
  | { kind: "weakmap" | "weakset" | "weakref" | "regexp" | "promise" | "proxy" }
  /** `smallTime`: a time value that is a small integer (near 1970), which V8 11 does not box. */
  | { kind: "date"; smallTime: boolean }
  | { kind: "error"; properties: number }
  | { kind: "arraybuffer"; byteLength: number }
  | { kind: "typedarray" | "dataview" }
  | { kind: "function"; prototypeSlot: boolean; properties: number; code: number }
  | { kind: "boxed" }
  | { kind: "generator" }
  | { kind: "arguments"; elements: number };

/** One engine's sizes. */
export interface Layout {
  /** `v8`, `v8-compressed` or `jsc`. */
  readonly name: string;
  /** The bytes of the value itself, without what it references. */
  flat(shape: Shape): number;
}

function powerOfTwoAtLeast(n: number, minimum: number): number {
  let capacity = minimum;
  while (capacity < n) capacity *= 2;
  return capacity;
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

/**
 * V8 on a 64-bit machine, with (`tagged` 4) or without (`tagged` 8) pointer compression.
 * `small` are the figures Deno's V8 15 reports differently from Node's V8 11.
 */
function v8Layout(tagged: 4 | 8, deno: boolean): Layout {
  const header = 3 * tagged; // map, properties, elements
  const fixedArray = (slots: number) => 2 * tagged + tagged * slots;
  const hashTable = (prefix: number, entrySize: number, capacity: number) =>
    fixedArray(3 + prefix + entrySize * capacity);
  const orderedTable = (entrySize: number, capacity: number) =>
    fixedArray(3 + capacity / 2 + entrySize * capacity);
  // A literal holds its properties in-object (`{}` gets 4 slots); a class's instances hold what
  // the class settled on, and the rest in a property array grown 3 slots at a time.
  const jsObject = (slots: number, inObject = slots === 0 ? 4 : slots) => {
    const outside = slots - inObject;
    return header + tagged * inObject +
      (outside > 0 ? fixedArray(Math.ceil(outside / 3) * 3) : 0);
  };
  const dictionary = (properties: number) =>
    hashTable(3, 3, powerOfTwoAtLeast(1.5 * properties, 4));
  return {
    name: tagged === 8 ? "v8" : "v8-compressed",
    flat(shape) {
      switch (shape.kind) {
        case "string": {
          if (shape.length <= 1) return 0; // the empty string and one-character strings are shared
          const bytes = 2 * tagged + (shape.twoByte ? 2 : 1) * shape.length;
          return roundUp(bytes, tagged);
        }
        case "number":
          return shape.boxed ? 2 * tagged : 0;
        case "bigint":
          return 2 * tagged + 8 * shape.digits;
        case "symbol":
          return 3 * tagged;
        case "object": {
          const own = shape.dictionary
            ? header + dictionary(shape.properties)
            : jsObject(shape.properties + (shape.hidden ?? 0), shape.inObject);
          return own + (shape.elements > 0 ? fixedArray(shape.elements) : 0);
        }
        case "array": {
          const own = 4 * tagged + (shape.properties > 0 ? fixedArray(shape.properties) : 0);
          if (shape.sparse) {
            return own + hashTable(1, 3, powerOfTwoAtLeast(1.5 * shape.elements, 4));
          }
          return own + (shape.length > 0 ? fixedArray(shape.length) : 0);
        }
        case "map":
          return 4 * tagged + orderedTable(3, powerOfTwoAtLeast(shape.size, 4)) +
            (shape.properties > 0 ? fixedArray(shape.properties) : 0);
        case "set": // V8 15's `new Set(items)` starts at 8 slots (a Set grown by `add` at 4)
          return 4 * tagged +
            orderedTable(2, powerOfTwoAtLeast(shape.size, deno && shape.size > 0 ? 8 : 4)) +
            (shape.properties > 0 ? fixedArray(shape.properties) : 0);
        case "weakmap":
        case "weakset":
          return 4 * tagged + hashTable(0, 2, 4);
        case "weakref":
          return 4 * tagged;
        case "date":
          // Node's V8 boxes a time value in a HeapNumber unless it is a small integer
          return deno || shape.smallTime ? 12 * tagged : 14 * tagged;
        case "regexp":
          return deno ? 6 * tagged : 7 * tagged;
        case "promise":
          return 6 * tagged;
        case "error":
          return 6 * tagged + (shape.properties > 2 ? tagged * (shape.properties - 2) : 0);
        case "proxy":
          return deno ? 5 * tagged : 4 * tagged;
        case "arraybuffer":
          return (deno ? 12 : 11) * tagged + shape.byteLength;
        case "typedarray":
          return (deno ? 13 : 12) * tagged;
        case "dataview":
          return (deno ? 11 : 10) * tagged;
        case "function":
          return (shape.prototypeSlot ? 8 : 7) * tagged +
            (shape.properties > 0 ? fixedArray(shape.properties) : 0) + shape.code;
        case "boxed":
          return 4 * tagged;
        case "generator":
          return 20 * tagged + fixedArray(3);
        case "arguments":
          return 4 * tagged + (shape.elements > 0 ? fixedArray(shape.elements) : 0);
      }
    },
  };
}

/** JavaScriptCore (Bun): 16-byte cells, butterflies for out-of-line storage, NaN-boxed numbers. */
const jscLayout: Layout = {
  name: "jsc",
  flat(shape) {
    switch (shape.kind) {
      case "string":
        return shape.length <= 1 ? 0 : 16 + (shape.twoByte ? 2 : 1) * shape.length;
      case "number":
        return 0;
      case "bigint":
        return 40 + 8 * shape.digits;
      case "symbol":
        return 32;
      case "object": {
        // A plain object starts with 6 inline slots (64 B); a class instance's structure has
        // exactly its fields inline; further properties go to an out-of-line butterfly.
        const properties = shape.properties + (shape.hidden ?? 0);
        const inline = shape.instance
          ? 16 + 8 * Math.max(2, properties)
          : properties <= 6
          ? 64
          : 80 + 8 * (properties - 6);
        return inline + (shape.elements > 0 ? 16 + 8 * shape.elements : 0);
      }
      case "array":
        if (shape.length === 0) return 64;
        return 32 + 8 * (shape.sparse ? 2 * shape.elements : Math.max(shape.length, 12)) +
          8 * shape.properties;
      case "map":
        return shape.size === 0 ? 32 : 272 + 40 * powerOfTwoAtLeast(shape.size, 8);
      case "set":
        return shape.size === 0 ? 32 : 128 + 32 * powerOfTwoAtLeast(shape.size, 8);
      case "weakmap":
      case "weakset":
        return 200;
      case "weakref":
      case "regexp":
      case "promise":
        return 32;
      case "date":
        return 48;
      case "error":
        return 185;
      case "proxy":
        return 64;
      case "arraybuffer":
        return 128 + shape.byteLength;
      case "typedarray":
        return 48;
      case "dataview":
        return 64;
      case "function":
        return 32 + 8 * shape.properties + shape.code;
      case "boxed":
        return 32;
      case "generator":
        return 48;
      case "arguments":
        return 33 + 8 * shape.elements;
    }
  },
};

/**
 * The layout model for an engine.
 *
 * @param engine `v8` or `jsc`.
 * @param pointerCompression Whether V8 compresses pointers.
 * @param deno Whether the V8 is Deno's (V8 15 reports a few sizes differently).
 * @returns The model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { layoutFor } from "./_layout.ts";
 * const v8 = layoutFor("v8", false, false);
 * assert(v8.flat({ kind: "object", properties: 0, elements: 0, dictionary: false, instance: false }) === 56);
 * assert(v8.flat({ kind: "string", length: 10, twoByte: false }) === 32);
 * ```
 */
export function layoutFor(engine: string, pointerCompression: boolean, deno: boolean): Layout {
  if (engine === "jsc") return jscLayout;
  return v8Layout(pointerCompression ? 4 : 8, deno);
}
