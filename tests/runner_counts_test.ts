import assert from "node:assert/strict";
import { test } from "node:test";
import { counts, failures } from "./_support/runner_counts.ts";

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

test("the suite names each failed test once, whatever the runner", () => {
  const deno = "ok\n\n ERRORS \n\nleaks => ./tests/a_test.ts:3:6\nerror: boom\n\n" +
    " FAILURES \n\nleaks => ./tests/a_test.ts:3:6\n\nFAILED | 1 passed | 1 failed\n";
  assert.deepEqual(failures("deno", deno), ["leaks => ./tests/a_test.ts:3:6"]);
  assert.deepEqual(failures("deno", "ok | 3 passed | 0 failed\n"), []);
  const node = "▶ suite\n  ✖ leaks (12.5ms)\n✖ suite (13ms)\nℹ fail 1\n\n✖ failing tests:\n\n" +
    "✖ leaks (12.5ms)\n";
  assert.deepEqual(failures("node", node), ["leaks", "suite"]);
  const bun = "(pass) fine [1.00ms]\n(fail) leaks [12.00ms]\n 1 pass\n 1 fail\n";
  assert.deepEqual(failures("bun", bun), ["leaks"]);
});
