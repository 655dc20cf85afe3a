import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { HeapObject } from "../../src/heap/heap_snapshot.ts";
import { HeapSnapshot } from "../../src/heap/heap_snapshot.ts";
import { objectsOf } from "../../src/muppy/muppy.ts";
import {
  format,
  getDiff,
  print,
  summarize,
  summarizeSnapshot,
  type SummaryRow,
  sweep,
} from "../../src/summary/summary.ts";
import { takeHeapSnapshot } from "../../src/runtime/mod.ts";
import { propertyOptions } from "../_support/fc.ts";

function record(
  className: string,
  selfSize: number,
  type = "object",
  name = className,
): HeapObject {
  return { id: 1, type, name, className, selfSize, edgeCount: 0 };
}

test("summarize() groups by type with counts and summed sizes; functions by name", () => {
  const rows = summarize([
    record("(string)", 24, "string", "a"),
    record("(string)", 24, "string", "b"),
    record("(string)", 32, "string", "a"),
    record("Widget", 56),
    record("Function", 64, "closure", "onData"),
    record("Function", 64, "closure", ""),
  ]);
  assert.deepEqual(rows, [
    ["(string)", 3, 80],
    ["Widget", 1, 56],
    ["closure (onData)", 1, 64],
    ["closure", 1, 64],
  ]);
});

test("getDiff() follows Pympler: shared rows subtract, one-sided rows pass or negate", () => {
  const left: SummaryRow[] = [["list", 2, 100], ["dict", 1, 50], ["str", 3, 30]];
  const right: SummaryRow[] = [["list", 2, 120], ["dict", 1, 50], ["tuple", 1, 40]];
  assert.deepEqual(getDiff(left, right), [
    ["list", 0, 20],
    ["dict", 0, 0],
    ["str", -3, -30],
    ["tuple", 1, 40],
  ]);
  assert.deepEqual(sweep(getDiff(left, right)), [["list", 0, 20], ["str", -3, -30], [
    "tuple",
    1,
    40,
  ]]);
});

const rowsArbitrary = fc.uniqueArray(
  fc.tuple(
    fc.string({ maxLength: 6 }),
    fc.integer({ min: 0, max: 50 }),
    fc.integer({ min: 0, max: 1e6 }),
  ),
  { selector: (row) => row[0], maxLength: 12 },
);

test("getDiff() of a summary with itself sweeps to empty; left + diff gives right", () => {
  fc.assert(
    fc.property(rowsArbitrary, rowsArbitrary, (left, right) => {
      assert.deepEqual(sweep(getDiff(left, left)), []);
      const diff = getDiff(left, right);
      const applied = new Map(left.map(([type, count, size]) => [type, [count, size]]));
      for (const [type, count, size] of diff) {
        const [c, s] = applied.get(type) ?? [0, 0];
        applied.set(type, [c! + count, s! + size]);
      }
      for (const [type, count, size] of right) assert.deepEqual(applied.get(type), [count, size]);
      for (const [type] of left) {
        if (!right.some((row) => row[0] === type)) assert.deepEqual(applied.get(type), [0, 0]);
      }
    }),
    propertyOptions(200),
  );
});

test("format() lays out Pympler's table, sorted and limited", () => {
  const rows: SummaryRow[] = [["__main__.Widget", 100, 5600], ["list", 2, 1000], ["dict", 1, 184]];
  assert.deepEqual(format(rows), [
    "            types |   # objects |   total size",
    "================= | =========== | ============",
    "  __main__.Widget |         100 |      5.47 KB",
    "             list |           2 |   1000     B",
    "             dict |           1 |    184     B",
  ]);
  assert.deepEqual(format(rows, { sort: "type", order: "ascending", limit: 1 }).slice(2), [
    "  __main__.Widget |         100 |      5.47 KB",
  ]);
  assert.equal(format(rows, { sort: "#", order: "ascending" })[2]!.trim().startsWith("dict"), true);
  assert.deepEqual(format([]), [
    "  types |   # objects |   total size",
    "======= | =========== | ============",
  ]);
  assert.deepEqual(format([["list", -1, -920]]).at(-1), "   list |          -1 |   -920     B");
  // deno-lint-ignore no-explicit-any -- a wrong key on purpose
  assert.throws(() => format(rows, { sort: "name" as any }), RangeError);
  // deno-lint-ignore no-explicit-any -- a wrong order on purpose
  assert.throws(() => format(rows, { order: "up" as any }), /ascending or descending/);
});

test("print() writes the table to the stream", () => {
  let text = "";
  print([["str", 3, 30]], { stream: { write: (chunk: string) => void (text += chunk) } });
  assert.ok(text.includes("  str |           3 |     30     B\n"));
  assert.ok(!text.includes("<class"));
});

test("summarizeSnapshot() equals summarize(objectsOf()) on a real snapshot", async () => {
  const snapshot = await HeapSnapshot.parse(takeHeapSnapshot());
  const fast = summarizeSnapshot(snapshot).sort((a, b) => a[0] < b[0] ? -1 : 1);
  const slow = summarize(objectsOf(snapshot)).sort((a, b) => a[0] < b[0] ? -1 : 1);
  assert.deepEqual(fast, slow);
  assert.ok(fast.some(([type]) => type === "Object"));
});
