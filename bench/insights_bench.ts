/**
 * Duplicated strings, heapler against memlab on the same generated snapshots: heapler's
 * `insights()` (every analysis, not only strings) and the same question asked through memlab's
 * loader (`@memlab/core`: string nodes grouped by value, as memlab's StringAnalysis does), each
 * in a fresh process. Prints wall time, peak RSS, the ratios, and whether the two agree on the
 * bytes the ten most duplicated values waste (within 1 %).
 *
 *   node --import ./tests/_support/register_ts.mjs bench/insights_bench.ts [tier ...]
 *
 * Tiers: `small` (about 100 MB), `large` (about 420 MB), `huge` (about 1 GB: memlab's MCP
 * server refuses files past 900 MB, and its loader needs several times the file in memory).
 * Default: `small` and `large`. Each measurement has a time limit and a 16 GB heap; a tool that
 * fails or runs out of time is reported as such.
 *
 * heapler counts only the program's strings (what the root holds, not what only compiled code
 * does); memlab counts every string node. The ten largest values are the program's in both, so
 * they are compared; the totals are printed side by side.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { HeapSnapshot } from "../src/heap/mod.ts";
import { insights } from "../src/insights/mod.ts";

/** Per value, the bytes its copies beyond the first take. */
type Wasted = Record<string, number>;

interface Measurement {
  seconds: number;
  peakRssBytes: number;
  total: number;
  top: Wasted;
}

const TOP = 10;

const tools: Record<string, (path: string) => Promise<{ total: number; top: Wasted }>> = {
  async heapler(path) {
    const found = insights(await HeapSnapshot.read(path), { limit: TOP });
    const top: Wasted = {};
    for (const { value, wasted } of found.duplicatedStrings.items) top[value] = wasted;
    return { total: found.duplicatedStrings.bytes, top };
  },
  async memlab(path) {
    const memlab = await import("@memlab/core");
    // deno-lint-ignore no-explicit-any -- memlab's CommonJS default export
    const { utils } = ((memlab as any).default ?? memlab) as any;
    const heap = await utils.getSnapshotFromFile(path, { buildNodeIdIndex: true });
    const groups = new Map<string, { copies: number; bytes: number }>();
    // deno-lint-ignore no-explicit-any -- memlab's node type
    heap.nodes.forEach((node: any) => {
      if (node.type !== "string") return;
      const value: string = node.toStringNode().stringValue;
      const group = groups.get(value) ?? groups.set(value, { copies: 0, bytes: 0 }).get(value)!;
      group.copies++;
      group.bytes += node.self_size;
    });
    const wasted = [...groups].filter(([, { copies }]) => copies > 1)
      .map(([value, { copies, bytes }]) => [value, bytes - bytes / copies] as const)
      .sort((a, b) => b[1] - a[1]);
    return {
      total: wasted.reduce((sum, [, bytes]) => sum + bytes, 0),
      top: Object.fromEntries(wasted.slice(0, TOP)),
    };
  },
};

const TIERS: Record<string, number> = { small: 190_000, large: 800_000, huge: 2_100_000 };

const loader = ["--import", new URL("../tests/_support/register_ts.mjs", import.meta.url).pathname];
const script = new URL(import.meta.url).pathname;
const LIMIT_MS = 10 * 60 * 1000;

function run(args: string[], heapMb: number) {
  return spawnSync(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, ...loader, script, ...args],
    {
      encoding: "utf8",
      maxBuffer: 1 << 26,
      timeout: LIMIT_MS,
    },
  );
}

const [mode, ...rest] = process.argv.slice(2);

if (mode === "--generate") {
  // Child: a server's records, with statuses and labels read at run time (one copy per record),
  // empty tag Maps, and plain objects of one shape.
  const [count, path] = rest as [string, string];
  const statuses = ["active", "suspended", "pending review", "closed by the owner"];
  const keep = Array.from({ length: Number(count) }, (_, i) => ({
    i,
    status: statuses[i % statuses.length]!.split("").join(""),
    label: `item-${i % 1000}`,
    tags: new Map(),
    pair: [i, i * 0.5],
  }));
  const v8 = await import("node:v8");
  v8.writeHeapSnapshot(path);
  process.stdout.write(String(keep.length));
} else if (mode === "--measure") {
  const [tool, path] = rest as [string, string];
  const started = performance.now();
  const { total, top } = await tools[tool]!(path);
  const measurement: Measurement = {
    seconds: (performance.now() - started) / 1000,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    total,
    top,
  };
  process.stdout.write("\n" + JSON.stringify(measurement));
} else {
  const tiers = [mode, ...rest].filter((arg): arg is string => arg !== undefined);
  for (const tier of tiers.length > 0 ? tiers : ["small", "large"]) {
    const objects = TIERS[tier];
    if (objects === undefined) {
      throw new Error(`Unknown tier ${tier}: use ${Object.keys(TIERS).join(", ")}`);
    }
    const path = join(tmpdir(), `heapler-insights-bench-${tier}-${process.pid}.heapsnapshot`);
    try {
      const generated = run(["--generate", String(objects), path], 20_000);
      if (generated.status !== 0) {
        throw new Error(`cannot generate the ${tier} snapshot: ${generated.stderr}`);
      }
      process.stdout.write(
        `\n${tier}: a snapshot of ${(statSync(path).size / 1e6).toFixed(0)} MB\n`,
      );
      const results: Record<string, Measurement | { failed: string }> = {};
      for (const tool of Object.keys(tools)) {
        const child = run(["--measure", tool, path], 16_000);
        const last = child.stdout.trim().split("\n").at(-1) ?? "";
        results[tool] = child.status === 0 && last.startsWith("{") ? JSON.parse(last) : {
          failed: child.status === null
            ? "out of time"
            : (child.stderr.trim().split("\n").at(-1) ?? "failed").slice(0, 100),
        };
      }
      const ours = results.heapler!, theirs = results.memlab!;
      for (const [tool, outcome] of Object.entries(results)) {
        process.stdout.write(
          "failed" in outcome
            ? `  ${tool.padEnd(8)} failed: ${outcome.failed}\n`
            : `  ${tool.padEnd(8)} ${outcome.seconds.toFixed(2).padStart(7)} s ${
              (outcome.peakRssBytes / 1e9).toFixed(2).padStart(6)
            } GB peak, duplicated strings waste ${(outcome.total / 1e6).toFixed(2)} MB\n`,
        );
      }
      if (!("failed" in ours) && !("failed" in theirs)) {
        const values = Object.keys(ours.top);
        const agree = values.filter((value) =>
          Math.abs((theirs.top[value] ?? 0) - ours.top[value]!) <= 0.01 * ours.top[value]!
        );
        process.stdout.write(
          `  heapler is ${(theirs.seconds / ours.seconds).toFixed(1)}× faster, at ${
            (ours.peakRssBytes / theirs.peakRssBytes).toFixed(2)
          }× memlab's peak memory; the ${values.length} most duplicated values agree within 1 %: ${agree.length} of ${values.length}\n`,
        );
      }
    } finally {
      rmSync(path, { force: true });
    }
  }
}
