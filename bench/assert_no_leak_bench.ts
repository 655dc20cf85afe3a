/**
 * What one `assertNoLeak` call costs with the default options, on each runtime: a clean function
 * (it allocates and drops) and a leaking one (one object kept per call), each in a fresh process
 * of a small program, so the heap is a test file's and not the bench's. Prints the median of
 * the clean calls, the time of two leaking calls in a row (the first pays for the process's first
 * snapshot), and how each was decided (the heap pass alone, the survivors of each round in one
 * snapshot on V8, or a snapshot per round on Bun).
 *
 *   node --import ./tests/_support/register_ts.mjs bench/assert_no_leak_bench.ts [calls] [runtime ...]
 *
 * Defaults: 5 clean calls; node, deno and bun.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { nodeExecutable } from "../tests/_support/runtime.ts";

const root = join(import.meta.dirname ?? ".", "..");
const args = process.argv.slice(2);
const calls = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 5);
const named = args.filter((arg) => arg === "node" || arg === "deno" || arg === "bun");
const runtimes = named.length > 0 ? named : ["node", "deno", "bun"];

const PROGRAM = `import { assertNoLeak, LeakError } from ${
  JSON.stringify(join(root, "src/testing/mod.ts"))
};
class Session { token = Math.random().toString(36); }
const sessions = [];
const clean = () => JSON.parse('{"user": {"name": "ada", "roles": ["admin", "dev"]}}');
const times = [];
let decided = "";
for (let call = 0; call < ${calls}; call++) {
  const began = performance.now();
  decided = (await assertNoLeak(clean)).decidedBy;
  times.push(performance.now() - began);
}
times.sort((a, b) => a - b);
const leakingCalls = [];
let caught;
for (let call = 0; call < 2; call++) {
  const began = performance.now();
  caught = await assertNoLeak(() => void sessions.push(new Session())).then(
    () => false,
    (error) => error instanceof LeakError && error.message.includes("Session") && error.decidedBy,
  );
  leakingCalls.push(performance.now() - began);
  if (!caught) break;
}
console.log(JSON.stringify({ clean: times[times.length >> 1], decided, leakingCalls, caught }));
`;

const dir = mkdtempSync(join(tmpdir(), "heapler-no-leak-bench-"));
const program = join(dir, "program.mjs");
writeFileSync(program, PROGRAM);

/** The command that runs the program on a runtime, with a full collection available. */
function command(runtime: string): string[] {
  if (runtime === "node") {
    return [
      nodeExecutable(),
      "--expose-gc",
      "--import",
      join(root, "tests/_support/register_ts.mjs"),
      program,
    ];
  }
  const bin = join(root, "node_modules/.bin", runtime);
  return runtime === "deno"
    ? [bin, "run", "-A", "--v8-flags=--expose-gc", program]
    : [bin, program];
}

try {
  for (const runtime of runtimes) {
    const [exe, ...rest] = command(runtime);
    const run = spawnSync(exe!, rest, { cwd: root, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${runtime} failed: ${run.stderr}`);
    const { clean, decided, leakingCalls, caught } = JSON.parse(
      run.stdout.trim().split("\n").pop()!,
    );
    const [first, second] = (leakingCalls as number[]).map((ms) => (ms / 1000).toFixed(2));
    process.stdout.write(
      `${runtime}: clean ${
        (clean / 1000).toFixed(3)
      } s per call (median of ${calls}, decided by ${decided}), ` +
        `leaking ${first} s, ${second ?? "-"} s the second time (${
          caught ? `caught by ${caught}` : "MISSED"
        })\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
