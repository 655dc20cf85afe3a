import assert from "node:assert/strict";
import { test } from "node:test";
import { collectGarbage, settleFinalizers } from "../../src/runtime/mod.ts";

function dropped(): WeakRef<object> {
  return new WeakRef({ payload: new Array(100).fill(1) });
}

test("collectGarbage() runs a collection that clears an unreachable WeakRef target", async () => {
  const ref = dropped();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(collectGarbage(), true);
  assert.equal(ref.deref(), undefined);
});

test("settleFinalizers() waits until FinalizationRegistry callbacks have run", async () => {
  const finalized: number[] = [];
  const registry = new FinalizationRegistry<number>((held) => finalized.push(held));
  (() => {
    for (let i = 0; i < 10; i++) registry.register({ i }, i);
  })();
  await settleFinalizers();
  assert.deepEqual(finalized.sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
