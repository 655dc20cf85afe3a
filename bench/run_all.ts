/**
 * Runs every `bench/*_bench.ts` on Node (the peers are Node packages), one after the other.
 *
 *   deno task bench [file ...]
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { nodeExecutable } from "../tests/_support/runtime.ts";

const root = join(import.meta.dirname ?? ".", "..");

const selected = process.argv.slice(2);
const benches = selected.length > 0
  ? selected
  : readdirSync(join(root, "bench")).filter((name) => name.endsWith("_bench.ts")).map((name) =>
    join("bench", name)
  );
let failed = 0;
for (const bench of benches) {
  process.stdout.write(`\n== ${bench}\n`);
  const run = spawnSync(nodeExecutable(), ["--import", "./tests/_support/register_ts.mjs", bench], {
    cwd: root,
    stdio: "inherit",
  });
  if (run.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
