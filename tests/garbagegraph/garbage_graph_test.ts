import assert from "node:assert/strict";
import { test } from "node:test";
import {
  endDebugGarbage,
  GarbageGraph,
  startDebugGarbage,
} from "../../src/garbagegraph/garbage_graph.ts";
import { UnstableIdsError } from "../../src/heap/diff.ts";
import { expectedRuntime } from "../_support/runtime.ts";

class Foo {
  next: unknown;
}
class Bar {
  prev: unknown;
}
const live: unknown[] = [];

function makeCycle(): [Foo, Bar] {
  const foo = new Foo();
  const bar = new Bar();
  foo.next = bar;
  bar.prev = foo;
  return [foo, bar];
}

test("GarbageGraph shows a cycle freed since the baseline, and not a live one", {
  skip: expectedRuntime === "bun" ? "Bun's snapshot ids change every time (measured)" : false,
}, async () => {
  let dropped: unknown = makeCycle();
  live.push(makeCycle());
  await startDebugGarbage();
  try {
    dropped = undefined;
    const garbage = await GarbageGraph.take({ reduce: true });
    const types = garbage.objects.map((object) => object.className);
    assert.equal(types.filter((type) => type === "Foo").length, 1);
    assert.equal(types.filter((type) => type === "Bar").length, 1);
    assert.ok(garbage.inCycles >= 2);
    assert.ok(garbage.graph.edges.some((edge) => edge.name === ".next"));
    let text = "";
    garbage.printStats({ stream: { write: (chunk: string) => void (text += chunk) } });
    assert.match(text, /^id +size type +representation\n/);
    assert.match(text, /Foo/);
    assert.match(text, /Garbage: +\d+ collected objects \(\d+ in cycles\): /);
    assert.equal(dropped, undefined);
  } finally {
    endDebugGarbage();
  }
});

test("GarbageGraph({ collectable: false }) shows new live cycles, not freed ones", {
  skip: expectedRuntime === "bun" ? "Bun's snapshot ids change every time (measured)" : false,
}, async () => {
  await startDebugGarbage();
  try {
    live.push(makeCycle());
    let transient: unknown = makeCycle();
    transient = undefined;
    const suspects = await GarbageGraph.take({ collectable: false });
    const types = suspects.objects.map((object) => object.className);
    assert.equal(types.filter((type) => type === "Foo").length, 1);
    assert.equal(suspects.graph.nodes.length, suspects.objects.length);
    assert.equal(transient, undefined);
  } finally {
    endDebugGarbage();
  }
});

test("GarbageGraph needs a baseline, and Bun's unstable ids are refused at the start", async () => {
  await assert.rejects(GarbageGraph.take(), /startDebugGarbage/);
  if (expectedRuntime === "bun") await assert.rejects(startDebugGarbage(), UnstableIdsError);
});

test(
  "in Pympler's order (start, make and drop cycles, take) the empty graph says why, and collectable: false sees live ones",
  {
    skip: expectedRuntime === "bun" ? "Bun's snapshot ids change every time (measured)" : false,
  },
  async () => {
    await startDebugGarbage();
    try {
      for (let i = 0; i < 10; i++) makeCycle(); // made and dropped after the baseline
      const garbage = await GarbageGraph.take({ reduce: true });
      const freedCycles = garbage.objects.filter((object) => object.className === "Foo");
      assert.equal(freedCycles.length, 0);
      let printed = "";
      garbage.printStats({ stream: { write: (text: string) => void (printed += text) } });
      if (garbage.count === 0) {
        assert.match(garbage.explanation ?? "", /already alive at startDebugGarbage\(\)/);
        assert.ok(printed.includes(garbage.explanation!), printed);
      }
      live.push(makeCycle());
      const suspects = await GarbageGraph.take({ collectable: false });
      assert.equal(suspects.objects.filter((object) => object.className === "Foo").length, 1);
      assert.equal(suspects.explanation, undefined);
    } finally {
      endDebugGarbage();
      live.length = 0;
    }
  },
);
