import assert from "node:assert/strict";
import { test } from "node:test";
import { counts } from "./_support/runner_counts.ts";

test("the suite's counts include skipped tests and count Node's cancelled tests as failed", () => {
  assert.deepEqual(
    counts("deno", "\u001b[32mok\u001b[0m | 336 passed (2 steps) | 0 failed | 4 ignored (5m)\n"),
    { passed: 336, failed: 0, skipped: 4 },
  );
  assert.deepEqual(
    counts(
      "node",
      "ℹ tests 225\nℹ pass 220\nℹ fail 0\nℹ cancelled 2\nℹ skipped 3\nℹ todo 1\n",
    ),
    { passed: 220, failed: 2, skipped: 4 },
  );
  assert.deepEqual(counts("bun", " 10 pass\n 2 skip\n 1 todo\n 0 fail\nRan 13 tests\n"), {
    passed: 10,
    failed: 0,
    skipped: 3,
  });
});
