/**
 * What the web front end's "Take a snapshot" holds on to: a program of some 40 MB of heap
 * (records and their orders, as a server's store) takes 10 snapshots through the handler, each
 * followed by the summary page, and prints the process's rss and JS heap before, after the first
 * and after the tenth (each after a full collection), with the time each snapshot took. Memory held between snapshots should stay
 * bounded: the tenth should cost no more than the first. Each runtime runs in a fresh process.
 *
 *   node --import ./tests/_support/register_ts.mjs bench/web_snapshot_memory_bench.ts [snapshots] [runtime ...]
 *
 * Defaults: 10 snapshots; node, deno and bun.
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
const snapshots = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 10);
const named = args.filter((arg) => arg === "node" || arg === "deno" || arg === "bun");
const runtimes = named.length > 0 ? named : ["node", "deno", "bun"];

const PROGRAM = `import process from "node:process";
import { createProfilerHandler } from ${JSON.stringify(join(root, "src/web/mod.ts"))};
import { collectGarbage } from ${JSON.stringify(join(root, "src/runtime/mod.ts"))};
class Customer {
  constructor(id) {
    this.id = id;
    this.name = "customer " + id;
    this.orders = Array.from({ length: 4 }, (_, i) => ({ sku: "sku-" + i, quantity: i + 1 }));
  }
}
globalThis.store = Array.from({ length: 100000 }, (_, id) => new Customer(id));
const handler = createProfilerHandler({ token: "bench" });
// What is held, not what awaits collection: a full collection first.
const memory = async () => {
  await collectGarbage();
  const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, arrayBuffers };
};
const figures = [{ ...(await memory()), seconds: 0 }];
for (let taken = 0; taken < ${snapshots}; taken++) {
  const began = performance.now();
  const posted = await handler(new Request("http://127.0.0.1/summary/snapshot", {
    method: "POST",
    headers: { "x-heapler-token": "bench" },
  }));
  if (posted.status >= 400) throw new Error(await posted.text());
  const page = await handler(new Request("http://127.0.0.1/summary"));
  await page.text();
  const seconds = (performance.now() - began) / 1000;
  figures.push({ ...(await memory()), seconds });
}
console.log(JSON.stringify(figures));
`;

const dir = mkdtempSync(join(tmpdir(), "heapler-web-memory-bench-"));
const program = join(dir, "program.mjs");
writeFileSync(program, PROGRAM);

/** The command that runs the program on a runtime. */
function command(runtime: string): string[] {
  if (runtime === "node") {
    return [nodeExecutable(), "--import", join(root, "tests/_support/register_ts.mjs"), program];
  }
  const bin = join(root, "node_modules/.bin", runtime);
  return runtime === "deno" ? [bin, "run", "-A", program] : [bin, program];
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

try {
  for (const runtime of runtimes) {
    const [exe, ...rest] = command(runtime);
    const run = spawnSync(exe!, rest, { cwd: root, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`${runtime} failed: ${run.stderr}`);
    const figures: { rss: number; heapUsed: number; seconds: number }[] = JSON.parse(
      run.stdout.trim().split("\n").pop()!,
    );
    const [before, first] = figures;
    const last = figures[figures.length - 1]!;
    const times = figures.slice(1).map(({ seconds }) => seconds).sort((a, b) => a - b);
    process.stdout.write(
      `${runtime}: rss ${mb(before!.rss)} before, ${mb(first!.rss)} after 1 snapshot, ${
        mb(last.rss)
      } after ${snapshots} (JS heap ${mb(before!.heapUsed)}, ${mb(first!.heapUsed)}, ${
        mb(last.heapUsed)
      }); a snapshot and its page take ${times[times.length >> 1]!.toFixed(2)} s (median)\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
