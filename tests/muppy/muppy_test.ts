import assert from "node:assert/strict";
import { test } from "node:test";
import type { HeapObject } from "../../src/heap/heap_snapshot.ts";
import { snapshotWithValues } from "../../src/heap/marker.ts";
import { UnstableIdsError } from "../../src/heap/diff.ts";
import { filter, getDiff, getObjects, getReferents, getSize, sort } from "../../src/muppy/muppy.ts";
import { expectedRuntime } from "../_support/runtime.ts";

function record(id: number, className: string, selfSize: number): HeapObject {
  return { id, type: "object", name: className, className, selfSize, edgeCount: 0 };
}

test("getDiff() is by id: '+' only in right, '-' only in left, order irrelevant", () => {
  const [a, b, c] = [record(1, "A", 8), record(3, "B", 8), record(5, "C", 8)];
  assert.deepEqual(getDiff([], []), { "+": [], "-": [] });
  assert.deepEqual(getDiff([a, b], [b, a, c]), { "+": [c], "-": [] });
  assert.deepEqual(getDiff([a, b, c], [c, a]), { "+": [], "-": [b] });
});

test("filter() keeps a type and strict size bounds; min above max throws", () => {
  const objects = [
    record(1, "Map", 10),
    record(3, "Set", 42),
    record(5, "Map", 958),
    record(7, "Map", 500),
  ];
  assert.deepEqual(filter(objects, { type: "Map" }).map((o) => o.id), [1, 5, 7]);
  assert.deepEqual(filter(objects, { type: Map }).map((o) => o.id), [1, 5, 7]);
  assert.deepEqual(filter(objects, { min: 42, max: 958 }).map((o) => o.id), [7]);
  assert.throws(() => filter(objects, { min: 17, max: 16 }), RangeError);
});

test("getSize() sums own sizes and sort() orders by size", () => {
  const objects = [record(1, "A", 30), record(3, "B", 10), record(5, "C", 20)];
  assert.equal(getSize(objects), 60);
  assert.deepEqual(sort(objects).map((o) => o.selfSize), [10, 20, 30]);
});

test("getReferents() returns distinct referents level by level, never running a getter", () => {
  const leaf = { leaf: true };
  const l1 = [leaf, { inner: leaf }];
  const l2 = {
    list: l1,
    map: new Map([["k", leaf]]),
    get trap() {
      throw new Error("getter ran");
    },
  };
  assert.deepEqual(getReferents(l2), [l1, l2.map]);
  assert.equal(getReferents(l2, 2).length, 4);
  assert.equal(getReferents(l2, 4242).length, 4);
  const proxy = new Proxy({}, {
    ownKeys: () => {
      throw new Error("trap ran");
    },
  });
  assert.deepEqual(getReferents(proxy), []);
});

test("getReferents() follows a snapshot node's edges", async () => {
  const value = { child: { grandchild: {} } };
  const { snapshot, ordinals } = await snapshotWithValues([value]);
  const node = snapshot.node(ordinals[0]!);
  const level1 = getReferents(node);
  assert.ok(level1.some((child) => child.className === "Object"));
  assert.ok(getReferents(node, 2).length > level1.length);
});

class MuppyProbe {
  constructor(readonly n: number) {}
}

test("getObjects() lists the program's objects, and getDiff() sees the new ones", {
  skip: expectedRuntime === "bun" ? "Bun's snapshot ids change every time (measured)" : false,
}, async () => {
  const before = await getObjects();
  const kept = Array.from({ length: 50 }, (_, n) => new MuppyProbe(n));
  const after = await getObjects();
  const added = getDiff(before, after)["+"].filter((o) => o.className === "MuppyProbe");
  assert.equal(added.length, 50);
  assert.equal(kept.length, 50);
});

test("getDiff() refuses lists from snapshots without stable ids", {
  skip: expectedRuntime === "bun" ? false : "only Bun's snapshots lack stable ids",
}, async () => {
  const objects = await getObjects();
  assert.throws(() => getDiff(objects, objects), UnstableIdsError);
});
