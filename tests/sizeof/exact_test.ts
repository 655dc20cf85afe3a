import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { asizeof } from "../../src/sizeof/asizeof.ts";
import { exactSizeof } from "../../src/sizeof/mod.ts";
import { collectGarbage, engineMemory } from "../../src/runtime/mod.ts";
import { propertyOptions } from "../_support/fc.ts";
import { expectedRuntime } from "../_support/runtime.ts";

const onBun = expectedRuntime === "bun";

class Point {
  x: number;
  y: number;
  constructor(x: number, y: number) {
    this.x = x;
    this.y = y;
  }
}
// Slack tracking: V8 sizes the first instances of a class generously, then settles.
const warm = Array.from({ length: 32 }, (_, i) => new Point(i + 0.25, i + 0.25));

/** A description of a value, built into a value by `build`. */
type Spec =
  | { t: "ascii"; codes: number[] }
  | { t: "wide"; codes: number[] }
  | { t: "int"; n: number }
  | { t: "double"; n: number }
  | { t: "date"; ms: number }
  | { t: "bytes"; length: number }
  | { t: "point"; x: number; y: number }
  | { t: "object"; children: Spec[] }
  | { t: "ints" | "doubles"; values: number[] }
  | { t: "list"; children: Spec[] }
  | { t: "map"; children: Spec[] }
  | { t: "set"; values: number[] };

const { spec } = fc.letrec<{ spec: Spec; leaf: Spec }>((tie) => ({
  leaf: fc.oneof(
    fc.record({
      t: fc.constant("ascii" as const),
      codes: fc.array(fc.integer({ min: 32, max: 126 }), { minLength: 2, maxLength: 300 }),
    }),
    fc.record({
      t: fc.constant("wide" as const),
      codes: fc.array(fc.integer({ min: 0x100, max: 0xd7ff }), { minLength: 2, maxLength: 150 }),
    }),
    fc.record({ t: fc.constant("int" as const), n: fc.integer({ min: -1000, max: 1000 }) }),
    fc.record({
      t: fc.constant("double" as const),
      n: fc.double({ min: 0.1, max: 1e6, noNaN: true }),
    }),
    fc.record({ t: fc.constant("date" as const), ms: fc.integer({ min: 0, max: 2e12 }) }),
    fc.record({ t: fc.constant("bytes" as const), length: fc.integer({ min: 128, max: 4096 }) }),
    fc.record({
      t: fc.constant("point" as const),
      x: fc.integer({ min: 0, max: 100 }),
      y: fc.integer({ min: 0, max: 100 }),
    }),
    fc.record({
      t: fc.constant("ints" as const),
      values: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 200 }),
    }),
    fc.record({
      t: fc.constant("doubles" as const),
      values: fc.array(fc.double({ min: 0.5, max: 1e3, noNaN: true }), {
        minLength: 1,
        maxLength: 200,
      }),
    }),
    fc.record({
      t: fc.constant("set" as const),
      values: fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 100 }),
    }),
  ),
  spec: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("leaf"),
    fc.record({
      t: fc.constant("object" as const),
      children: fc.array(tie("spec"), { minLength: 1, maxLength: 8 }),
    }),
    fc.record({
      t: fc.constant("list" as const),
      children: fc.array(tie("spec"), { minLength: 1, maxLength: 12 }),
    }),
    fc.record({
      t: fc.constant("map" as const),
      children: fc.array(tie("spec"), { minLength: 1, maxLength: 12 }),
    }),
  ),
}));

function build(spec: Spec): unknown {
  switch (spec.t) {
    case "ascii":
    case "wide":
      return spec.codes.map((code) => String.fromCharCode(code)).join("");
    case "int":
    case "double":
      return spec.n;
    case "date":
      return new Date(spec.ms);
    case "bytes":
      return new Uint8Array(spec.length);
    case "point":
      // Fractional coordinates: a field's representation then never changes (a field that once
      // held a double boxes even small integers afterwards, which reflection cannot see).
      return new Point(spec.x + 0.25, spec.y + 0.25);
    case "object": {
      // JSON.parse lays an object out as a literal, its properties in-object. Each field starts
      // with a placeholder of its final kind, so no field changes representation afterwards.
      const key = (child: Spec, i: number) => `${child.t}${i}`;
      const placeholder = (child: Spec) =>
        child.t === "int"
          ? "0"
          : child.t === "double"
          ? "0.5"
          : child.t === "ascii" || child.t === "wide"
          ? '""'
          : "null";
      const object = JSON.parse(
        `{${
          spec.children.map((child, i) => `"${key(child, i)}":${placeholder(child)}`).join(",")
        }}`,
      );
      spec.children.forEach((child, i) => object[key(child, i)] = build(child));
      return object;
    }
    case "ints":
    case "doubles":
      return spec.values.map((value) => value); // map() allocates exactly; Array.from() grows
    case "list":
      return spec.children.map(build);
    case "map":
      return new Map(spec.children.map((child, i) => [i, build(child)]));
    case "set":
      return new Set(spec.values);
  }
}

/** Whether the value holds a primitive only: no heap object to measure in a snapshot. */
const isHeapValue = (value: unknown) =>
  (typeof value === "object" && value !== null) ||
  (typeof value === "string" && value.length > 1) ||
  (typeof value === "number" && !Number.isInteger(value));

test("exactSizeof() measures what reflection cannot see: a closure's captured data", {
  skip: onBun ? "Bun's snapshots leave out array storage and Map entries (measured)" : false,
}, async () => {
  const makeCounter = () => {
    const captured = Array.from({ length: 10_000 }, () => "c").join("");
    return () => captured.length;
  };
  const closure = makeCounter();
  const [measured] = await exactSizeof([closure]);
  assert.ok(measured!.size > 10_000, JSON.stringify(measured));
  assert.ok(asizeof(closure) < 1000, "the estimate cannot see closure variables");
  const [none] = await exactSizeof([7]);
  assert.equal(none!.size, 0); // a small integer: no heap object (Deno lists a 0-byte node)
});

test("asizeof() is within 20% of the snapshot's figure for every value and 3% at the median", {
  skip: onBun ? "checked against heap growth on Bun (next test)" : false,
}, async () => {
  const errors: number[] = [];
  const worstCases: [number, string][] = [];
  await fc.assert(
    fc.asyncProperty(fc.array(spec, { minLength: 10, maxLength: 25 }), async (specs) => {
      const kept = specs.filter((item) => isHeapValue(build(item)));
      const values = kept.map(build);
      const exact = await exactSizeof(values);
      values.forEach((value, i) => {
        const truth = exact[i]!.size;
        if (truth === 0) return;
        const error = Math.abs(asizeof(value) - truth) / truth;
        errors.push(error);
        if (error > 0.2) worstCases.push([error, JSON.stringify(kept[i]).slice(0, 300)]);
      });
    }),
    propertyOptions(8),
  );
  errors.sort((a, b) => a - b);
  const median = errors[Math.floor(errors.length / 2)]!;
  const worst = errors.at(-1)!;
  const over = errors.filter((error) => error > 0.03).length;
  assert.ok(errors.length > 50, `${errors.length} values measured`);
  assert.ok(median <= 0.03, `median error ${(median * 100).toFixed(1)}%`);
  assert.ok(
    worst <= 0.2,
    `worst error ${(worst * 100).toFixed(1)}% (${over} of ${errors.length} over 3%): ${
      worstCases.join(" | ")
    }`,
  );
  assert.ok(warm.length === 32);
});

test("on Bun, asizeof() follows the heap growth of 5,000 copies, within 10% at the median", {
  skip: onBun ? false : "V8 is checked against heap snapshots (previous test)",
}, () => {
  const kinds: Record<string, () => unknown> = {
    empty: () => ({}),
    object4: () => JSON.parse('{"a":1,"b":2,"c":3,"d":4}'),
    object8: () => JSON.parse('{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8}'),
    instance: () => new Point(1, 2),
    ints10: () => Array.from({ length: 10 }, (_, i) => i),
    objects10: () => Array.from({ length: 10 }, () => ({})),
    map10: () => new Map(Array.from({ length: 10 }, (_, i) => [i, i])),
    set10: () => new Set(Array.from({ length: 10 }, (_, i) => i)),
    date: () => new Date(),
    bigint: () => 2n ** 200n + BigInt(Math.floor(Math.random() * 1000)),
    closure: () => () => 1,
    bytes1k: () => new Uint8Array(1024),
    wide: () => Array.from({ length: 50 }, (_, i) => String.fromCharCode(0x4e00 + i)).join(""),
  };
  const errors: number[] = [];
  for (const make of Object.values(kinds)) {
    const count = 5000;
    collectGarbage();
    const before = engineMemory().heapUsed!;
    const keep = Array.from({ length: count }, make);
    collectGarbage();
    const growth = (engineMemory().heapUsed! - before) / count - 8; // minus the array slot
    errors.push(Math.abs(asizeof(keep[0]) - growth) / growth);
  }
  errors.sort((a, b) => a - b);
  const median = errors[Math.floor(errors.length / 2)]!;
  assert.ok(
    median <= 0.1,
    `median error ${(median * 100).toFixed(1)}%: ${errors.map((e) => e.toFixed(2))}`,
  );
});
