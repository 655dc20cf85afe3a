import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../_support/io.ts";
import { SHAPES } from "../_support/leak_shapes.ts";
import { expectedRuntime, repoRoot, scriptArgs } from "../_support/runtime.ts";

/** One line of `leak_shapes_program.ts`. */
interface ShapeResult {
  shape: string;
  className: string;
  count: number;
  size: number;
  exactSize: number;
  leakFails: boolean;
  cleanPasses: boolean;
  tree: string;
}

let measured: Map<string, ShapeResult> | undefined;

/** Runs the checks of every shape once, in a process of its own, on this test's runtime. */
function results(): Map<string, ShapeResult> {
  if (measured !== undefined) return measured;
  const run = spawnSync(
    process.execPath,
    scriptArgs(join(repoRoot, "tests/_support/leak_shapes_program.ts")),
    { cwd: repoRoot, encoding: "utf8", timeout: 300_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split("\n");
  assert.equal(lines.pop(), "done", run.stdout);
  const parsed = lines.map((line) => JSON.parse(line) as ShapeResult);
  return measured = new Map(parsed.map((result) => [result.shape, result]));
}

for (const shape of SHAPES) {
  test(`leaked through ${shape.name}: SummaryTracker counts it with its exact bytes, assertNoLeak fails it and passes the clean twin`, () => {
    const result = results().get(shape.name)!;
    assert.equal(result.className, shape.className);
    assert.equal(result.count, 200, JSON.stringify(result));
    assert.ok(
      Math.abs(result.size - result.exactSize) <= 0.05 * result.exactSize,
      JSON.stringify(result),
    );
    assert.equal(result.leakFails, true, "assertNoLeak fails the leak");
    assert.equal(result.cleanPasses, true, "assertNoLeak passes the clean twin");
  });
}

/** The holders Bun's snapshots show: module variables and global properties (no Map, Set or closure-scope edges). */
const BUN_SHOWS = new Map([
  ["module variable", /JSModuleEnvironment context lastOfChain$/],
  ["global", /GlobalObject \.leakedGlobals$/],
]);

for (const shape of SHAPES) {
  const bunHolder = BUN_SHOWS.get(shape.name);
  test(
    `leaked through ${shape.name}: the referrer tree of one leaked object reaches its named holder`,
    {
      skip: expectedRuntime === "bun" && bunHolder === undefined
        ? "Bun's snapshots leave out the references of Map and Set entries and of closures' scopes (measured)"
        : false,
    },
    () => {
      const { tree } = results().get(shape.name)!;
      const holder = expectedRuntime === "bun" ? bunHolder! : shape.holder;
      assert.ok(tree.split("\n").some((line) => holder.test(line.trimEnd())), tree);
    },
  );
}

test("heapler run names the leaking class of every shape", async () => {
  const out = await mkdtemp(join(tmpdir(), "heapler-shapes-"));
  try {
    const io = captureIo();
    const program = [
      process.execPath,
      ...scriptArgs(join(repoRoot, "tests/_support/leak_shapes_server.ts")),
      "5",
    ];
    assert.equal(
      await main(["run", "--interval", "1s", "--out", out, "--", ...program], io),
      0,
      io.err(),
    );
    const report = await readFile(join(out, "report.txt"), "utf8");
    const steady = report.split("\n").find((line) => line.startsWith("Grew steadily")) ?? "";
    const missing = SHAPES.filter((shape) => !steady.includes(shape.className));
    assert.deepEqual(missing.map((shape) => shape.name), [], report);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
