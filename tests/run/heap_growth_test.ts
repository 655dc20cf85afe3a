import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { HeapGrowth } from "../../src/run/heap_growth.ts";
import { propertyOptions } from "../_support/fc.ts";

/** Whether each reading, added in turn, said the heap grows. */
function verdicts(readings: readonly number[]): boolean[] {
  const growth = new HeapGrowth();
  return readings.map((bytes) => growth.add(bytes));
}

const heap = fc.integer({ min: 1_000_000, max: 2_000_000_000 });

test("a heap that never rises above its lowest reading never grows", () => {
  fc.assert(
    fc.property(fc.array(heap, { maxLength: 40 }), (readings) => {
      const falling = [...readings].sort((a, b) => b - a);
      assert.ok(!verdicts(falling).includes(true));
    }),
    propertyOptions(),
  );
});

test("a heap wandering within 0.4 % of a level, the collector's noise, never grows", () => {
  fc.assert(
    fc.property(
      heap,
      fc.array(fc.double({ min: -0.004, max: 0.004, noNaN: true }), { maxLength: 60 }),
      (level, noise) => {
        assert.ok(!verdicts(noise.map((offset) => level * (1 + offset))).includes(true));
      },
    ),
    propertyOptions(),
  );
});

test("a heap rising at least 1 % at each reading grows at the fourth, whatever came before", () => {
  fc.assert(
    fc.property(
      fc.array(heap, { maxLength: 10 }),
      heap,
      fc.array(fc.double({ min: 0.01, max: 0.05, noNaN: true }), { minLength: 3, maxLength: 3 }),
      (before, start, rises) => {
        const growth = new HeapGrowth();
        for (const bytes of before) growth.add(bytes);
        let bytes = start;
        growth.add(bytes);
        const said = rises.map((rise) => growth.add(bytes = Math.ceil(bytes * (1 + rise))));
        assert.ok(said[2], `${before} then ${start} and ${rises}`);
      },
    ),
    propertyOptions(),
  );
});

test("a program that warms up and levels off does not grow; one 25 % above its lowest does", () => {
  // Measured on Bun: a server's heap after full collections, every 2 s under load.
  const warming = [16.59, 17.33, 17.52, 17.53, 17.52, 17.52, 17.53, 17.05, 17.0, 16.99];
  assert.ok(!verdicts(warming.map((mb) => mb * 1e6)).includes(true));
  assert.deepEqual(verdicts([100, 99, 100, 123, 100, 124]), [
    false,
    false,
    false,
    false,
    false,
    true,
  ]);
  const growth = new HeapGrowth();
  assert.equal(growth.latest, undefined);
  assert.equal(growth.lowest, Infinity);
});
