/**
 * What one heap snapshot leaves behind: the time of an allocation-heavy loop (40 × 50,000 small
 * objects) before a snapshot, after it (the snapshot dropped and a full collection run), and after
 * `forgetObjectIds()`, in one process of the runtime running this file. Once it took a snapshot,
 * V8 keeps every object's id through every move the collector makes, until told to forget them;
 * JavaScriptCore keeps a snapshot's state with no way to drop it.
 *
 *   node --expose-gc --import ./tests/_support/register_ts.mjs bench/snapshot_aftereffect_bench.ts
 *   npx deno run -A --v8-flags=--expose-gc bench/snapshot_aftereffect_bench.ts
 *   npx bun bench/snapshot_aftereffect_bench.ts
 *
 * @module
 */
import process from "node:process";
import {
  collectGarbage,
  detectRuntime,
  forgetObjectIds,
  takeHeapSnapshot,
} from "../src/runtime/mod.ts";

/** Data the program holds, so that collections have something to trace. */
const kept = Array.from({ length: 200_000 }, (_, i) => ({ i, label: `kept ${i}` }));

/** Milliseconds to allocate and drop 2,000,000 small objects. */
function churn(): number {
  const started = performance.now();
  for (let round = 0; round < 40; round++) {
    const batch: object[] = [];
    for (let i = 0; i < 50_000; i++) batch.push({ i, label: `temporary ${i}` });
  }
  return performance.now() - started;
}

/** The median of five runs. */
function median(): number {
  const times = Array.from({ length: 5 }, churn).sort((a, b) => a - b);
  return times[2]!;
}

for (let i = 0; i < 3; i++) churn(); // warm up
const before = median();
let bytes = 0;
for await (const chunk of takeHeapSnapshot()) bytes += chunk.length;
collectGarbage();
const after = median();
const forgot = forgetObjectIds();
const afterForgetting = median();
process.stdout.write(
  `${detectRuntime().runtime}: allocation loop ${before.toFixed(0)} ms before one snapshot (${
    (bytes / 2 ** 20).toFixed(0)
  } MB), ${after.toFixed(0)} ms after it (×${(after / before).toFixed(2)}), ${
    forgot ? `${afterForgetting.toFixed(0)} ms after forgetObjectIds()` : "no forgetObjectIds()"
  } (×${(afterForgetting / before).toFixed(2)}; ${kept.length} objects held)\n`,
);
