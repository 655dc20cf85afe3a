/**
 * Runs the whole test suite on Deno, Node and Bun, one after the other, and ends with one line
 * `N passed, N failed, N skipped` over all three; exits non-zero on any failure.
 *
 *   deno run -A tests/_support/run_all.ts [deno|node|bun ...] [test files ...]
 *
 * Each runtime gets HEAPLER_EXPECT_RUNTIME so tests can check runtime detection.
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { counts, failures, type Runtime } from "./runner_counts.ts";
import { nodeExecutable } from "./runtime.ts";

interface Outcome {
  /** A runtime, or "build". */
  step: string;
  passed: number;
  /** Failed tests; a cancelled one (Node's, when a test or its parent times out) counts here. */
  failed: number;
  /** Tests skipped or left to do, each with its reason in the runner's output. */
  skipped: number;
  exitCode: number;
  /** The failed tests' names, as the runner printed them. */
  failedTests: string[];
}

const root = join(import.meta.dirname ?? ".", "..", "..");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name.startsWith("_") || entry.name === "output" ? [] : testFiles(path);
    }
    return entry.name.endsWith("_test.ts") ? [path] : [];
  }).sort();
}

/** A step that is one check: one pass or one failure. */
function stepOutcome(step: string, status: number | null): Outcome {
  return {
    step,
    passed: status === 0 ? 1 : 0,
    failed: status === 0 ? 0 : 1,
    skipped: 0,
    exitCode: status ?? 1,
    failedTests: status === 0 ? [] : [step],
  };
}

function command(runtime: Runtime, files: string[]): string[] {
  const relativeFiles = files.map((file) => "./" + relative(root, file));
  switch (runtime) {
    case "deno":
      // --doc also type-checks and runs every @example of the sources.
      return [
        bin("deno"),
        "test",
        "-A",
        "--v8-flags=--expose-gc",
        "--doc",
        ...relativeFiles,
        "./mod.ts",
        "./src/",
      ];
    case "node":
      return [
        nodeExecutable(),
        "--expose-gc",
        "--enable-source-maps",
        "--import",
        "./tests/_support/register_ts.mjs",
        "--test",
        "--test-reporter=spec",
        ...relativeFiles,
      ];
    case "bun":
      return [bin("bun"), "test", "--timeout", "300000", ...relativeFiles];
  }
}

function run(runtime: Runtime, files: string[]): Promise<Outcome> {
  const [executable = runtime, ...args] = command(runtime, files);
  process.stdout.write(
    `\n== ${runtime}: ${
      [executable, ...args].map((part) => relative(root, part) || part).join(" ").slice(0, 200)
    }\n`,
  );
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(executable, args, {
      cwd: root,
      env: { ...process.env, HEAPLER_EXPECT_RUNTIME: runtime, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Uint8Array, stream: NodeJS.WriteStream) => {
      output += new TextDecoder().decode(chunk);
      stream.write(chunk);
    };
    child.stdout.on("data", (chunk) => collect(chunk, process.stdout));
    child.stderr.on("data", (chunk) => collect(chunk, process.stderr));
    child.on("close", (code) => {
      const { passed, failed, skipped } = counts(runtime, output);
      // A runner that fails without a counted failure (a crash, a load error) counts as one failure.
      const exitCode = code ?? 1;
      resolve({
        step: runtime,
        passed,
        failed: exitCode !== 0 && failed === 0 ? 1 : failed,
        skipped,
        exitCode: failed > 0 ? exitCode || 1 : exitCode,
        failedTests: exitCode !== 0 && failed === 0
          ? [`the runner itself (exit ${exitCode}; ${files.length} file(s))`]
          : failures(runtime, output),
      });
    });
  });
}

/**
 * Runs each file in its own runner process and adds the counts up. For Bun, which otherwise runs
 * every file in one process: its heap then holds them all, and each heap snapshot of the later
 * tests takes seconds (measured: 30 s for one three-round `assertNoLeak`).
 */
async function runEach(runtime: Runtime, files: string[]): Promise<Outcome> {
  const total: Outcome = {
    step: runtime,
    passed: 0,
    failed: 0,
    skipped: 0,
    exitCode: 0,
    failedTests: [],
  };
  for (const file of files) {
    const outcome = await run(runtime, [file]);
    total.passed += outcome.passed;
    total.failed += outcome.failed;
    total.skipped += outcome.skipped;
    total.failedTests.push(...outcome.failedTests);
    if (outcome.exitCode !== 0) total.exitCode = outcome.exitCode;
  }
  return total;
}

const runtimes: Runtime[] = [];
const selected: string[] = [];
for (const arg of process.argv.slice(2)) {
  if (arg === "deno" || arg === "node" || arg === "bun") runtimes.push(arg);
  else if (existsSync(arg)) selected.push(join(process.cwd(), arg));
  else throw new Error(`Not a runtime or a test file: ${arg}`);
}
const files = selected.length > 0 ? selected : testFiles(join(root, "tests"));
// The package tests import the npm build, so it is built first.
const build = spawnSync(nodeExecutable(), ["scripts/build.mjs"], {
  cwd: root,
  stdio: "inherit",
});
const outcomes: Outcome[] = [stepOutcome("build", build.status)];
// The runtime-agnostic type check: Node's types only, so a stray Deno.* or Bun.* fails.
const typeCheck = spawnSync(nodeExecutable(), [
  join(root, "node_modules/typescript/bin/tsc"),
  "-p",
  "tsconfig.json",
], {
  cwd: root,
  stdio: "inherit",
});
outcomes.push(stepOutcome("tsc", typeCheck.status));
for (const runtime of runtimes.length > 0 ? runtimes : (["deno", "node", "bun"] as const)) {
  outcomes.push(runtime === "bun" ? await runEach(runtime, files) : await run(runtime, files));
}

process.stdout.write("\n");
for (const outcome of outcomes) {
  for (const name of outcome.failedTests) process.stdout.write(`${outcome.step} failed: ${name}\n`);
}
for (const outcome of outcomes) {
  process.stdout.write(
    `${outcome.step}: ${outcome.passed} passed, ${outcome.failed} failed, ${outcome.skipped} skipped (exit ${outcome.exitCode})\n`,
  );
}
const passed = outcomes.reduce((sum, outcome) => sum + outcome.passed, 0);
const failed = outcomes.reduce((sum, outcome) => sum + outcome.failed, 0);
const skipped = outcomes.reduce((sum, outcome) => sum + outcome.skipped, 0);
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exitCode = failed > 0 ? 1 : 0;
