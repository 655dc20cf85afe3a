import assert from "node:assert/strict";
import { test } from "node:test";
import { HeapSnapshot } from "../../src/heap/heap_snapshot.ts";
import { heaplerHolder, snapshotWithValues } from "../../src/heap/marker.ts";
import { takeHeapSnapshot } from "../../src/runtime/mod.ts";
import { heaplerOwned, programRetainingPath } from "../../src/heap/selection.ts";

class InsertedMarkerProbe {
  label = "inserted-probe-label";
}

test("snapshotWithValues() captures an inserted object", async () => {
  const probe = new InsertedMarkerProbe();
  const { snapshot, ordinals } = await snapshotWithValues([probe, "a string value", 42]);
  const node = snapshot.node(ordinals[0]!);
  assert.equal(node.className, "InsertedMarkerProbe");
  assert.ok(
    node.edges().some((edge) =>
      edge.name === "label" && edge.target.name === "inserted-probe-label"
    ),
  );
  assert.equal(snapshot.typeOf(ordinals[1]!).endsWith("string"), true);
  assert.ok(Object.keys(heaplerHolder()).every((key) => !key.startsWith("__heapler_marker_")));
});

test("a snapshot does not capture a transient object", async () => {
  class TransientMarkerProbe {
    value = 1;
  }
  (() => {
    const dropped = Array.from({ length: 10 }, () => new TransientMarkerProbe());
    assert.equal(dropped.length, 10);
  })();
  const snapshot = await HeapSnapshot.parse(takeHeapSnapshot());
  const instances =
    snapshot.classIndexes.filter((index) => snapshot.classNames[index] === "TransientMarkerProbe")
      .length;
  // The prototype object may carry the class name; no instances survive.
  assert.ok(instances <= 1, `${instances} nodes named TransientMarkerProbe`);
});

test("heaplerOwned() marks what only heapler's holder keeps alive", async () => {
  heaplerHolder().heaplerOwnedProbe = { onlyHeaplerHoldsThis: true };
  try {
    const snapshot = await HeapSnapshot.parse(takeHeapSnapshot());
    const [probe = -1] = snapshot.findByPropertyKeys(["heaplerOwnedProbe"]);
    assert.ok(probe >= 0);
    assert.equal(heaplerOwned(snapshot)[probe], 1);
    assert.equal(heaplerOwned(snapshot)[snapshot.root], 0);
  } finally {
    delete heaplerHolder().heaplerOwnedProbe;
  }
});

class GloballyHeldProbe {
  label = "globally-held";
}

test("programRetainingPath() reaches a value through the program, never through heapler's markers", async () => {
  const key = "__heapler_test_globally_held__";
  const probe = new GloballyHeldProbe();
  (globalThis as Record<string, unknown>)[key] = { deep: { probe } };
  try {
    const { snapshot, ordinals } = await snapshotWithValues([probe]);
    const path = programRetainingPath(snapshot, ordinals[0]!);
    const labels = path.map((edge) => edge.label).join(" ");
    assert.equal(path.at(-1)!.target.className, "GloballyHeldProbe");
    // Through the global or through the test's own frame on the stack: both are the program's.
    assert.match(labels, /__heapler_test_globally_held__.*\.deep.*\.probe$|\(internal\) \d+$/);
    assert.doesNotMatch(labels, /__heapler_marker_|__heapler_holder__/);
  } finally {
    delete (globalThis as Record<string, unknown>)[key];
  }
});
