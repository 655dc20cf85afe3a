import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { ObjectTracker, SummaryTracker } from "../../src/tracker/tracker.ts";
import type { SummaryRow } from "../../src/summary/summary.ts";
import { settleFinalizers } from "../../src/runtime/mod.ts";
import { expectedRuntime, repoRoot, scriptArgs } from "../_support/runtime.ts";

class Indicator {
  payload = "indicator";
}
const kept: Indicator[] = [];

function count(rows: SummaryRow[], type: string): number {
  return rows.find((row) => row[0] === type)?.[1] ?? 0;
}

test("SummaryTracker.diff() sees a new object, its removal, and compares stored summaries", async () => {
  const tracker = new SummaryTracker();
  await tracker.diff();
  const s1 = await tracker.createSummary();
  kept.push(new Indicator());
  assert.equal(count(await tracker.diff(), "Indicator"), 1);
  const s2 = await tracker.createSummary();
  kept.pop();
  assert.equal(count(await tracker.diff(s2), "Indicator"), -1);
  assert.equal(count(await tracker.diff(s1, s2), "Indicator"), 1);
  await assert.rejects(tracker.diff(undefined, s2), TypeError);
  await tracker.storeSummary("mine");
  assert.ok(tracker.summaries.get("mine")!.length > 0);
  const lines = await tracker.formatDiff(s1, s2);
  assert.match(lines.join("\n"), /Indicator \|\s+1 \|/);
});

test("SummaryTracker: a leaking loop grows every round by exactly what it keeps", async () => {
  const tracker = new SummaryTracker();
  for (let warmUp = 0; warmUp < 4; warmUp++) await tracker.diff();
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 10; i++) kept.push(new Indicator());
    assert.equal(count(await tracker.diff(), "Indicator"), 10);
  }
  kept.length = 0;
});

/** Runs `tests/_support/idle_program.ts` on this runtime: the rows of its 20 diffs that are not empty. */
function idleProgramNoise(mode: "tracker" | "web"): { round: number; diff: SummaryRow[] }[] {
  const result = spawnSync(process.execPath, [
    ...scriptArgs(join(repoRoot, "tests/_support/idle_program.ts")),
    mode,
  ], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 240_000,
  });
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.equal(lines.pop(), "done", result.stdout);
  return lines.map((line) => JSON.parse(line));
}

const JSC_IDLE =
  "JavaScriptCore scans the stack conservatively: heapler's garbage from one snapshot " +
  "can survive into the next, and Bun's snapshots cannot tell it from objects held only by a Map " +
  "or a module variable, which count (measured)";

test("an idle program's SummaryTracker diffs to empty, 20 rounds", {
  skip: expectedRuntime === "bun" ? JSC_IDLE : false,
}, () => {
  // Deno's V8 can intern one more string in the first round (measured: one, 32 B, never more).
  const noise = idleProgramNoise("tracker").filter(({ diff }) =>
    diff.some(([type, count]) => type !== "(string)" || Math.abs(count) > 1)
  );
  assert.deepEqual(noise, []);
});

test("an idle program's web memory summary, with a ClassTracker attached, diffs to empty", {
  skip: expectedRuntime === "bun" ? JSC_IDLE : false,
}, () => {
  // The program itself builds a Request per snapshot it asks for: the fetch implementation can
  // keep one of its strings now and then, and makes one buffer once, lazily (Node, measured:
  // always in the same round, never again in 40). Growth repeats: no type but those strings may
  // show in two rounds.
  const rounds = idleProgramNoise("web");
  const strings = rounds.flatMap(({ diff }) =>
    diff.filter(([type, count]) => type === "(string)" && Math.abs(count) > 2)
  );
  assert.deepEqual(strings, []);
  const seen = new Map<string, number>();
  for (const { diff } of rounds) {
    for (const [type] of diff) if (type !== "(string)") seen.set(type, (seen.get(type) ?? 0) + 1);
  }
  assert.deepEqual([...seen].filter(([, times]) => times > 1), [], JSON.stringify(rounds));
});

test("SummaryTracker({ ignoreSelf: false }) counts its own stored summaries", {
  skip: expectedRuntime === "bun"
    ? "JavaScriptCore scans the stack conservatively: earlier tests' garbage can go during this one (measured)"
    : false,
}, async () => {
  await settleFinalizers(); // earlier trackers' data goes first, not during this test
  const tracker = new SummaryTracker({ ignoreSelf: false });
  await tracker.diff();
  await tracker.storeSummary("a");
  await tracker.storeSummary("b");
  const diff = await tracker.diff();
  assert.ok(count(diff, "Array") > 0, JSON.stringify(diff));
});

test("ObjectTracker lists new objects with id, type and size, then nothing new", {
  skip: expectedRuntime === "bun" ? "Bun's snapshot ids change every time (measured)" : false,
}, async () => {
  const tracker = new ObjectTracker();
  kept.push(new Indicator());
  const diff = await tracker.getDiff();
  assert.equal(diff["+"].filter((o) => o.className === "Indicator").length, 1);
  const again = await tracker.getDiff();
  assert.equal(again["+"].filter((o) => o.className === "Indicator").length, 0);
  kept.length = 0;
  const lines = await tracker.formatDiff({ limit: 100_000 });
  assert.equal(lines[0], "Added objects:");
  assert.deepEqual(lines[1]!.split("|").map((cell) => cell.trim()), ["id", "type", "name", "size"]);
  const removed = lines.slice(lines.indexOf("Removed objects:"));
  assert.match(removed.join("\n"), /@\d+ \|\s+Indicator \|\s+"Indicator" \|/);
});
