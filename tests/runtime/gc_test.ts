import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import {
  collectGarbage,
  detectRuntime,
  forgetObjectIds,
  settleFinalizers,
  takeHeapSnapshot,
} from "../../src/runtime/mod.ts";
import { objectIdsKept, objectIdSteps } from "../../src/runtime/internal.ts";
import { snapshotWithValues } from "../../src/heap/mod.ts";
import { SummaryTracker } from "../../src/tracker/mod.ts";
import { repoRoot, scriptArgs } from "../_support/runtime.ts";

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

test("collectGarbage() turns gc() on itself in a program started without --expose-gc", () => {
  const dir = mkdtempSync(join(tmpdir(), "heapler-gc-"));
  try {
    const script = join(dir, "gc.ts");
    writeFileSync(
      script,
      `import { collectGarbage } from ${JSON.stringify(join(repoRoot, "src/runtime/mod.ts"))};
const exposed = typeof globalThis.gc === "function";
const ref = (() => new WeakRef({ payload: new Array(100).fill(1) }))();
setTimeout(() => {
  const ran = collectGarbage();
  console.log(JSON.stringify({ exposed, ran, cleared: ref.deref() === undefined }));
}, 0);`,
    );
    const result = spawnSync(process.execPath, scriptArgs(script), {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(result.status, 0, result.stderr);
    const seen = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
    assert.equal(seen.ran, true);
    assert.equal(seen.cleared, true);
    // Bun's gc is Bun.gc, never a global: only V8 starts without one.
    if (detectRuntime().engine === "v8") assert.equal(seen.exposed, false, "no --expose-gc");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("forgetObjectIds() ends V8's id keeping after a snapshot (none on Bun), and snapshots and summaries work after it", async () => {
  for await (const _ of takeHeapSnapshot()) break;
  assert.equal(forgetObjectIds(), detectRuntime().engine === "v8");
  const kept = { forgotten: "ids, not objects" };
  const { snapshot, ordinals } = await snapshotWithValues([kept]);
  assert.equal(snapshot.node(ordinals[0]!).className, "Object");
  const tracker = new SummaryTracker();
  await tracker.ready;
  assert.equal(forgetObjectIds(), detectRuntime().engine === "v8");
  (globalThis as Record<string, unknown>).heaplerForgetIdsKept = Array.from(
    { length: 500 },
    () => new ForgetIdsRecord(),
  );
  try {
    const grown = (await tracker.diff()).find(([type]) => type === "ForgetIdsRecord");
    assert.equal(grown?.[1], 500, "a summary after forgetting counts by type as before");
  } finally {
    delete (globalThis as Record<string, unknown>).heaplerForgetIdsKept;
  }
  assert.ok(kept.forgotten);
});

class ForgetIdsRecord {
  at = Date.now();
}

test("objectIdSteps() numbers objects in steps that one snapshot tells apart, and forgets the ids at the end (V8; none on Bun)", async () => {
  forgetObjectIds();
  const steps = objectIdSteps();
  assert.equal(steps !== undefined, detectRuntime().engine === "v8");
  if (steps === undefined) return;
  const made: object[] = [];
  try {
    for (let step = 0; step < 3; step++) {
      made.push({ step });
      steps.step();
    }
    // The snapshot is taken while the steps are under way: preparing it (Node 20 turns the
    // debugger on and off first) must not make V8 forget the ids given so far.
    const { snapshot, ordinals } = await snapshotWithValues(made);
    const ids = ordinals.map((ordinal) => snapshot.idOf(ordinal));
    assert.ok(ids[0]! < ids[1]! && ids[1]! < ids[2]!, `ids in the order of the steps: ${ids}`);
  } finally {
    steps.end();
  }
  assert.equal(objectIdsKept(), false, "the ids are forgotten after the steps");
  for await (const _ of takeHeapSnapshot()) break;
  assert.equal(objectIdSteps(), undefined, "none while a snapshot's ids are kept");
  forgetObjectIds();
});
