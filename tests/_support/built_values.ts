/**
 * Values built each way a program builds them, for checking `asizeof` against heap snapshots:
 * objects as literals, by `JSON.parse`, by assignment and by constructors; arrays by `map`,
 * `push` and `Array.from`; Maps from entries and by `set`; Sets from arrays and by `add`.
 *
 * @module
 */
import fc from "fast-check";

/** How an object, array, Map or Set was built. */
export type Way =
  | "literal"
  | "json"
  | "assign"
  | "constructor"
  | "map"
  | "push"
  | "from"
  | "entries"
  | "set"
  | "new Set"
  | "add";

/** A description of a value, made into the value by {@linkcode build}. */
export type Spec =
  | { t: "ascii"; codes: number[] }
  | { t: "wide"; codes: number[] }
  | { t: "int"; n: number }
  | { t: "double"; n: number }
  | { t: "date"; ms: number }
  | { t: "bytes"; length: number }
  | { t: "record"; way: "literal" | "json" | "assign" | "constructor"; fields: Spec[] }
  | { t: "list"; way: "map" | "push" | "from"; items: Spec[] }
  | { t: "numbers"; way: "map" | "push" | "from"; values: number[] }
  | { t: "dict"; way: "entries" | "set"; items: Spec[] }
  | { t: "set"; way: "new Set" | "add"; values: number[] };

const ascii = fc.record({
  t: fc.constant("ascii" as const),
  codes: fc.array(fc.integer({ min: 32, max: 126 }), { minLength: 2, maxLength: 120 }),
});
const wide = fc.record({
  t: fc.constant("wide" as const),
  codes: fc.array(fc.integer({ min: 0x100, max: 0xd7ff }), { minLength: 2, maxLength: 60 }),
});
const int = fc.record({ t: fc.constant("int" as const), n: fc.integer({ min: -1000, max: 1000 }) });
const double = fc.record({
  t: fc.constant("double" as const),
  n: fc.double({ min: 0.1, max: 1e6, noNaN: true }).filter((n) => !Number.isInteger(n)),
});

/** Values of every kind, built every way, nested up to a few levels. */
export const specs: fc.Arbitrary<Spec> = fc.letrec<{ spec: Spec; leaf: Spec }>((tie) => ({
  leaf: fc.oneof(
    ascii,
    wide,
    int,
    double,
    fc.record({ t: fc.constant("date" as const), ms: fc.integer({ min: 0, max: 2e12 }) }),
    fc.record({ t: fc.constant("bytes" as const), length: fc.integer({ min: 128, max: 2048 }) }),
    fc.record({
      t: fc.constant("numbers" as const),
      way: fc.constantFrom("map" as const, "push" as const, "from" as const),
      values: fc.oneof(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 150 }),
        fc.array(fc.double({ min: 0.5, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 150 }),
      ),
    }),
    fc.record({
      t: fc.constant("set" as const),
      way: fc.constantFrom("new Set" as const, "add" as const),
      values: fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 80 }),
    }),
  ),
  spec: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("leaf"),
    fc.record({
      t: fc.constant("record" as const),
      way: fc.constantFrom(
        "literal" as const,
        "json" as const,
        "assign" as const,
        "constructor" as const,
      ),
      fields: fc.array(tie("spec"), { minLength: 1, maxLength: 8 }),
    }),
    fc.record({
      t: fc.constant("list" as const),
      way: fc.constantFrom("map" as const, "push" as const, "from" as const),
      items: fc.array(tie("spec"), { minLength: 1, maxLength: 12 }),
    }),
    fc.record({
      t: fc.constant("dict" as const),
      way: fc.constantFrom("entries" as const, "set" as const),
      items: fc.array(tie("spec"), { minLength: 1, maxLength: 12 }),
    }),
  ),
})).spec;

/**
 * A field's key names the kind of value it holds (`int0`, `double1`, `list2`), so a field keeps
 * one representation across the values a run builds, as fields in real programs mostly do.
 */
const keyOf = (field: Spec, i: number) => `${field.t}${i}`;

/** What a field holds before its value is stored: of the same representation. */
const placeholderOf = (field: Spec) =>
  field.t === "int" ? 0 : field.t === "double" ? 0.5 : field.t === "ascii" ? "" : null;

const literals = new Map<string, (values: unknown[]) => object>();
const classes = new Map<string, new (values: unknown[]) => object>();
/** The first instances of each class, kept: V8 settles a class's layout after a few. */
const earlyInstances: object[] = [];

function literalFor(keys: string[]): (values: unknown[]) => object {
  const signature = keys.join(",");
  let make = literals.get(signature);
  if (make === undefined) {
    make = new Function(
      "v",
      `return {${keys.map((key, i) => `${key}: v[${i}]`).join(", ")}};`,
    ) as (values: unknown[]) => object;
    literals.set(signature, make);
  }
  return make;
}

function classFor(keys: string[], fields: Spec[]): new (values: unknown[]) => object {
  const signature = keys.join(",");
  let made = classes.get(signature);
  if (made === undefined) {
    made = new Function(
      `return class Record_${classes.size} { constructor(v) { ${
        keys.map((key, i) => `this.${key} = v[${i}];`).join(" ")
      } } };`,
    )() as new (values: unknown[]) => object;
    for (let i = 0; i < 10; i++) earlyInstances.push(new made(fields.map(placeholderOf)));
    classes.set(signature, made);
  }
  return made;
}

/** Builds the value a spec describes, the way it names. */
export function build(spec: Spec): unknown {
  switch (spec.t) {
    case "ascii":
    case "wide":
      return spec.codes.map((code) => String.fromCharCode(code)).join("");
    case "int":
      return spec.n;
    case "double": // a number of its own, not the spec's: a tagged slot would share that one
      return parseFloat(String(spec.n));
    case "date":
      return new Date(spec.ms);
    case "bytes":
      return new Uint8Array(spec.length);
    case "record": {
      const keys = spec.fields.map(keyOf);
      const values = spec.fields.map(build);
      switch (spec.way) {
        case "literal":
          return literalFor(keys)(values);
        case "constructor":
          return new (classFor(keys, spec.fields))(values);
        case "json": {
          const placeholders = spec.fields.map((field, i) =>
            `${JSON.stringify(keys[i])}:${JSON.stringify(placeholderOf(field))}`
          );
          const object = JSON.parse(`{${placeholders.join(",")}}`);
          keys.forEach((key, i) => object[key] = values[i]);
          return object;
        }
        case "assign": {
          const object: Record<string, unknown> = {};
          keys.forEach((key, i) => object[key] = values[i]);
          return object;
        }
      }
      break;
    }
    case "list":
    case "numbers": {
      const items: unknown[] = spec.t === "list" ? spec.items : spec.values;
      const make = (item: unknown) => spec.t === "list" ? build(item as Spec) : item;
      switch (spec.way) {
        case "map":
          return items.map(make);
        case "from":
          return Array.from({ length: items.length }, (_, i) => make(items[i]));
        case "push": {
          const list: unknown[] = [];
          for (const item of items) list.push(make(item));
          return list;
        }
      }
      break;
    }
    case "dict": {
      if (spec.way === "entries") return new Map(spec.items.map((item, i) => [i, build(item)]));
      const map = new Map<number, unknown>();
      spec.items.forEach((item, i) => map.set(i, build(item)));
      return map;
    }
    case "set": {
      if (spec.way === "new Set") return new Set(spec.values);
      const set = new Set<number>();
      for (const value of spec.values) set.add(value);
      return set;
    }
  }
}

/** The ways a spec's value was built, its own and its parts'. */
export function waysOf(spec: Spec, into = new Set<Way>()): Set<Way> {
  if ("way" in spec) into.add(spec.way);
  if (spec.t === "record") spec.fields.forEach((field) => waysOf(field, into));
  if (spec.t === "list" || spec.t === "dict") spec.items.forEach((item) => waysOf(item, into));
  return into;
}

/** Whether a built value is a heap object of its own (a snapshot has a node to measure). */
export function isHeapValue(value: unknown): boolean {
  return (typeof value === "object" && value !== null) ||
    (typeof value === "string" && value.length > 1) ||
    (typeof value === "number" && !Number.isInteger(value));
}

/** The early instances of the classes built so far (kept alive for the layout they settled). */
export function keptInstances(): number {
  return earlyInstances.length;
}
