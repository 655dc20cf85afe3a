import assert from "node:assert/strict";
import process from "node:process";
import { test } from "node:test";
import { snapshotWithValues } from "../../src/heap/mod.ts";
import { detectRuntime, forgetObjectIds } from "../../src/runtime/mod.ts";
import { objectIdsKept } from "../../src/runtime/internal.ts";
import { assertNoLeak, expectNoLeak, LeakError } from "../../src/testing/assert_no_leak.ts";

class LeakedSession {
  token = Math.random().toString(36);
}
const sessions: LeakedSession[] = [];

class Scratch {
  values = [1, 2, 3];
}

test("assertNoLeak fails with the table of what grew when a function leaks into a module-level array", async () => {
  forgetObjectIds();
  await assert.rejects(
    assertNoLeak(() => void sessions.push(new LeakedSession()), { rounds: 3, warmup: 1 }),
    (error: unknown) => {
      assert.ok(error instanceof LeakError);
      assert.match(error.message, /grew in every one of 3 rounds/);
      assert.match(error.message, /types \|\s+# objects \|\s+total size/);
      assert.match(error.message, /LeakedSession \|\s+10 \|/);
      assert.ok(error.growing.some(([type, count]) => type === "LeakedSession" && count === 10));
      assert.equal(error.rounds.length, 3);
      // V8 numbers the objects round by round: each round's rows are exactly what it left alive.
      const v8 = detectRuntime().engine === "v8";
      assert.equal(error.decidedBy, v8 ? "survivors" : "snapshots");
      if (v8) {
        for (const round of error.rounds) {
          assert.deepEqual(round.find(([type]) => type === "LeakedSession")?.slice(0, 2), [
            "LeakedSession",
            10,
          ]);
          assert.ok(round.every(([, count]) => count > 0), "survivors are never negative");
        }
        assert.match(error.message, /still alive at the end/);
      }
      return true;
    },
  );
  sessions.length = 0;
});

/** What the full cache of the next test holds. */
class CachedEntry {
  serial = 0;
}

test("assertNoLeak passes a cache that was full before the check and replaces its entries", async () => {
  const capacity = 64;
  const cache = Array.from({ length: capacity }, () => new CachedEntry());
  let next = 0;
  const result = await assertNoLeak(() => {
    cache[next++ % capacity] = new CachedEntry();
  });
  // Each new entry replaces one of the same size: the heap holds still, and no snapshot is needed
  // on V8. Bun's collector scans the stack conservatively, so its heap may not hold still, and the
  // types decide (measured in CI: once in four runs).
  if (detectRuntime().engine === "v8") {
    assert.equal(result.decidedBy, "heap", `growth per round: ${result.heapGrowth}`);
  }
  assert.equal(cache.length, capacity);
});

test("assertNoLeak's snapshots leave V8 keeping no object ids, unless a snapshot of the caller's kept them", async () => {
  const v8 = detectRuntime().engine === "v8";
  const leak = () => void sessions.push(new LeakedSession());
  forgetObjectIds();
  await assert.rejects(assertNoLeak(leak, { rounds: 2, warmup: 1 }), LeakError);
  assert.equal(objectIdsKept(), !v8, "forgotten after (Bun cannot forget)");
  const probe = { kept: "by the caller" };
  const before = await snapshotWithValues([probe]);
  await assert.rejects(assertNoLeak(leak, { rounds: 2, warmup: 1 }), LeakError);
  assert.equal(objectIdsKept(), true, "kept: the caller's snapshot came first");
  if (before.snapshot.stableIds) {
    const after = await snapshotWithValues([probe]);
    assert.equal(
      after.snapshot.idOf(after.ordinals[0]!),
      before.snapshot.idOf(before.ordinals[0]!),
      "the caller's ids still match",
    );
  }
  sessions.length = 0;
});

/** Repetitions of the flakiness check: 5 in the suite, HEAPLER_SOAK=20 for the full soak. */
const SOAK = Number(process.env.HEAPLER_SOAK ?? 5);

test("assertNoLeak passes for code that allocates and drops, repeatedly (no flakiness)", async () => {
  for (let repetition = 0; repetition < SOAK; repetition++) {
    await expectNoLeak(() => {
      const scratch = Array.from({ length: 100 }, () => new Scratch());
      return scratch.reduce((sum, item) => sum + item.values.length, 0);
    }, { rounds: 2, warmup: 1, calls: 1 });
  }
});

test("assertNoLeak passes code whose heap does not grow without a snapshot, on V8", async () => {
  const result = await assertNoLeak(() => JSON.parse('{"list": [1, 2, 3]}'));
  assert.ok(result.heapGrowth.length >= 3 && result.heapGrowth.length <= 10);
  // V8's live heap after a full collection is exact to the byte; Bun's collector scans the stack
  // conservatively and keeps the odd dead object, so its heap may grow and snapshots decide.
  if (detectRuntime().engine === "v8") {
    assert.equal(result.decidedBy, "heap", `growth per round: ${result.heapGrowth}`);
  }
});

/** Kept three per round by the tolerance test: no string field, so only its own count grows. */
class KeptRecord {
  serial = 0;
}

test("assertNoLeak takes async functions, tolerates small growth when told, and checks its options", async () => {
  forgetObjectIds();
  let kept: KeptRecord[] = [];
  const result = await assertNoLeak(async () => {
    await Promise.resolve();
    kept.push(new KeptRecord());
  }, { rounds: 3, warmup: 0, calls: 3, tolerance: 3 });
  assert.equal(
    result.decidedBy,
    detectRuntime().engine === "v8" ? "survivors" : "snapshots",
    `the heap grew in every round: ${result.heapGrowth}`,
  );
  assert.equal(objectIdsKept(), detectRuntime().engine !== "v8", "forgotten after (not on Bun)");
  kept = [];
  await assert.rejects(assertNoLeak(() => {}, { rounds: 1 }), RangeError);
  await assert.rejects(assertNoLeak(() => {}, { tolerance: -1 }), RangeError);
  assert.equal(kept.length, 0);
});
