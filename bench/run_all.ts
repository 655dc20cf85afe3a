/**
 * Runs every `bench/*_bench.ts` on Node (the peers are Node packages), one after the other.
 *
 *   deno task bench [file ...]
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import process from "node:process";

const root = join(import.meta.dirname ?? ".", "..");

/** Node's own executable from PATH (Deno's child_process turns a bare "node" into Deno itself). */
function nodeExecutable(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "node");
    if (existsSync(candidate) && !candidate.includes("node_modules")) return candidate;
  }
  throw new Error("Node.js is not on PATH");
}

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
