// An idle program measured by heapler, run in a process of its own (no test runner's bookkeeping
// in its heap): writes each of 20 diffs that is not empty as a line of JSON, at once and straight
// to the file descriptor (a program that kept its diffs, or a console's buffers, would grow by
// them), then "done". `tracker` diffs two
// SummaryTracker summaries per round; `web` takes a web front end snapshot per round with a
// ClassTracker attached and reads the diff the memory summary page shows. Both warm up first: the
// runtime's first uses (its fetch plumbing, lazily built singletons) are not a leak. `web` warms
// up with the summary read too: V8 drops the hidden classes of the parsed JSON once, some ten
// reads in, and makes them again with their key strings (measured on Deno: 3 strings, 80 B).
import { writeSync } from "node:fs";
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

/** Prints a round's diff unless it is empty. */
function report(round: number, diff: readonly SummaryRow[]): void {
  const rest = diff.filter((row) => !engineFreed(row));
  if (rest.length > 0) writeSync(1, JSON.stringify({ round, diff: rest }) + "\n");
}

async function trackerRounds(): Promise<void> {
  const tracker = new SummaryTracker();
  for (let warmUp = 0; warmUp < 4; warmUp++) await tracker.diff();
  for (let round = 0; round < ROUNDS; round++) {
    const first = await tracker.createSummary();
    const second = await tracker.createSummary();
    report(round, await tracker.diff(first, second));
  }
}

async function webRounds(): Promise<void> {
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
    const data = await response.json() as {
      diff: { type: string; count: number; size: number }[] | null;
    };
    return (data.diff ?? []).map(({ type, count, size }): SummaryRow => [type, count, size]);
  };
  for (let warmUp = 0; warmUp < 14; warmUp++) {
    await snapshot();
    await summary();
  }
  for (let round = 0; round < ROUNDS; round++) {
    await snapshot();
    report(round, await summary());
  }
  if (sessions.length !== 2) throw new Error("the sessions stay alive");
}

await (process.argv.includes("web") ? webRounds() : trackerRounds());
writeSync(1, "done\n");
