// An idle program measured by heapler, run in a process of its own (no test runner's bookkeeping
// in its heap): prints, as JSON, every row of 20 diffs that is not empty. `tracker` diffs two
// SummaryTracker summaries per round; `web` takes a web front end snapshot per round with a
// ClassTracker attached and reads the diff the memory summary page shows. Both warm up first: the
// runtime's first uses (its fetch plumbing, lazily built singletons) are not a leak.
import process from "node:process";
import { ClassTracker } from "../../src/classtracker/mod.ts";
import type { SummaryRow } from "../../src/summary/mod.ts";
import { SummaryTracker } from "../../src/tracker/mod.ts";
import { createProfilerHandler } from "../../src/web/mod.ts";

const ROUNDS = 20;

/**
 * V8 flushes the bytecode of code unused for a while, and with it the constant strings only that
 * code held: strings can go with nothing of the program's freed. Strings going is not growth.
 */
const engineFreed = ([type, count]: SummaryRow) => type === "(string)" && count < 0;

async function trackerDiffs(): Promise<SummaryRow[][]> {
  const tracker = new SummaryTracker();
  for (let warmUp = 0; warmUp < 4; warmUp++) await tracker.diff();
  const diffs: SummaryRow[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const first = await tracker.createSummary();
    const second = await tracker.createSummary();
    diffs.push(await tracker.diff(first, second));
  }
  return diffs;
}

async function webDiffs(): Promise<SummaryRow[][]> {
  class Session {
    user = "idle";
  }
  const tracker = new ClassTracker();
  const Tracked = tracker.trackClass(Session);
  const sessions = [new Tracked(), new Tracked()];
  await tracker.createSnapshot("start");
  const handler = createProfilerHandler({ tracker });
  const snapshot = async () => {
    const response = await handler(
      new Request("http://127.0.0.1:8090/summary/snapshot", {
        method: "POST",
        headers: { "x-heapler-token": handler.token, accept: "application/json" },
      }),
    );
    if (response.status !== 200) throw new Error(`snapshot: ${response.status}`);
  };
  const summary = async () => {
    const response = await handler(new Request("http://127.0.0.1:8090/api/summary?limit=50"));
    const data = await response.json() as { diff: { type: string; count: number; size: number }[] };
    return data.diff.map(({ type, count, size }): SummaryRow => [type, count, size]);
  };
  for (let warmUp = 0; warmUp < 8; warmUp++) await snapshot();
  const diffs: SummaryRow[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await snapshot();
    diffs.push(await summary());
  }
  if (sessions.length !== 2) throw new Error("the sessions stay alive");
  return diffs;
}

const diffs = process.argv.includes("web") ? await webDiffs() : await trackerDiffs();
const noisy = diffs.flatMap((diff, round) => {
  const rest = diff.filter((row) => !engineFreed(row));
  return rest.length > 0 ? [{ round, diff: rest }] : [];
});
console.log(JSON.stringify(noisy));
