/**
 * Loads generated heap snapshots with heapler and with the peers installed as devDependencies —
 * memlab's loader, the DevTools model (heap-snapshot-toolkit), @vscode/v8-heap-parser and
 * `JSON.parse` — each in a fresh process, and prints wall time, peak RSS and the ratios to
 * heapler's.
 *
 *   node --import ./tests/_support/register_ts.mjs bench/heap_bench.ts [tier ...] [--tools a,b]
 *
 * Tiers: `small` (about 20 MB), `large` (about 420 MB), `huge` (about 900 MB, past V8's
 * 512 MB string limit) and `strings` (a string-heavy file whose strings alone pass that
 * limit). Default: `small`. `--tools` picks tools by name prefix (`--tools heapler,memlab`).
 * Each measurement has a time limit; a peer that fails or runs out of time is reported as such.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { createReadStream, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { HeapSnapshot } from "../src/heap/mod.ts";
import { summarizeSnapshot } from "../src/summary/summary.ts";

interface Measurement {
  seconds: number;
  peakRssBytes: number;
  nodes: number;
}

type Outcome = Measurement | { failed: string };

const tools: Record<string, (path: string) => Promise<number>> = {
  async "heapler summary"(path) {
    const snapshot = await HeapSnapshot.read(path);
    summarizeSnapshot(snapshot);
    return snapshot.nodeCount;
  },
  async "heapler retained"(path) {
    const snapshot = await HeapSnapshot.read(path);
    summarizeSnapshot(snapshot);
    return snapshot.retainedSizes.length;
  },
  "JSON.parse"(path) {
    const json = JSON.parse(readFileSync(path, "utf8"));
    return Promise.resolve(json.nodes.length / json.snapshot.meta.node_fields.length);
  },
  async "DevTools model"(path) {
    const { parse } = await import("heap-snapshot-toolkit");
    // deno-lint-ignore no-explicit-any -- the toolkit's model has no useful types
    const snapshot: any = await parse(createReadStream(path, "utf8"));
    return snapshot.nodeCount;
  },
  async "memlab parse"(path) {
    const memlab = await import("@memlab/core");
    // deno-lint-ignore no-explicit-any -- memlab's CommonJS default export
    const { utils } = ((memlab as any).default ?? memlab) as any;
    const heap = await utils.getSnapshotFromFile(path, { buildNodeIdIndex: true });
    return heap.nodes.length;
  },
  async "vscode parser"(path) {
    const { decode_bytes } = await import("@vscode/v8-heap-parser");
    const graph = decode_bytes(readFileSync(path));
    graph.get_class_groups(0, 20, false);
    return graph.root_index >= 0 ? 1 : 0;
  },
};

const TIERS: Record<string, { objects: number; strings: boolean }> = {
  small: { objects: 40_000, strings: false },
  large: { objects: 800_000, strings: false },
  huge: { objects: 1_750_000, strings: false },
  strings: { objects: 650_000, strings: true },
};

const loader = ["--import", new URL("../tests/_support/register_ts.mjs", import.meta.url).pathname];
const script = new URL(import.meta.url).pathname;
const LIMIT_MS = 10 * 60 * 1000;

/** Runs this script again in a fresh Node process. */
function run(
  args: string[],
  heapMb: number,
): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(
    process.execPath,
    [`--max-old-space-size=${heapMb}`, ...loader, script, ...args],
    { encoding: "utf8", maxBuffer: 1 << 24, timeout: LIMIT_MS },
  );
  return { status: child.status, stdout: child.stdout ?? "", stderr: child.stderr ?? "" };
}

const [mode, ...rest] = process.argv.slice(2);

if (mode === "--generate") {
  // Child: a server-like heap of small objects, arrays, strings, Maps and closures — or, for the
  // string-heavy tier, mostly distinct long strings — written as a snapshot.
  const [count, kind, path] = rest;
  const objects = Number(count);
  const keep = kind === "strings"
    ? Array.from(
      { length: objects },
      (_, i) => `${i}:`.padEnd(1000, String.fromCharCode(97 + (i % 26))),
    )
    : Array.from({ length: objects }, (_, i) => ({
      i,
      label: "item-" + i,
      pair: [i, i * 0.5],
      index: new Map([[i, { x: i }]]),
      read: () => i,
    }));
  const v8 = await import("node:v8");
  v8.writeHeapSnapshot(path);
  process.stdout.write(String(keep.length));
} else if (mode === "--measure") {
  const [tool, path] = rest as [string, string];
  const started = performance.now();
  const nodes = await tools[tool]!(path);
  const measurement: Measurement = {
    seconds: (performance.now() - started) / 1000,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    nodes,
  };
  process.stdout.write("\n" + JSON.stringify(measurement));
} else {
  const args = [mode, ...rest].filter((arg): arg is string => arg !== undefined);
  const toolsArg = args.find((arg) => arg.startsWith("--tools="))?.slice("--tools=".length);
  const chosen = Object.keys(tools).filter((tool) =>
    toolsArg === undefined || toolsArg.split(",").some((prefix) => tool.startsWith(prefix))
  );
  const tiers = args.filter((arg) => !arg.startsWith("--"));
  for (const tier of tiers.length > 0 ? tiers : ["small"]) {
    const spec = TIERS[tier];
    if (!spec) throw new Error(`Unknown tier ${tier}: use ${Object.keys(TIERS).join(", ")}`);
    const path = join(tmpdir(), `heapler-bench-${tier}-${process.pid}.heapsnapshot`);
    try {
      const generated = run([
        "--generate",
        String(spec.objects),
        spec.strings ? "strings" : "objects",
        path,
      ], 20_000);
      if (generated.status !== 0) {
        throw new Error(`cannot generate the ${tier} snapshot: ${generated.stderr}`);
      }
      const megabytes = statSync(path).size / 1e6;
      process.stdout.write(`\n${tier}: a snapshot of ${megabytes.toFixed(0)} MB\n`);
      const results: Record<string, Outcome> = {};
      for (const tool of chosen) {
        const child = run(["--measure", tool, path], 16_000);
        const last = child.stdout.trim().split("\n").at(-1) ?? "";
        results[tool] = child.status === 0 && last.startsWith("{") ? JSON.parse(last) : {
          failed: child.status === null
            ? "out of time"
            : (child.stderr.trim().split("\n").at(-1) ?? "failed").slice(0, 80),
        };
        process.stdout.write(describe(tool, results[tool]!, results["heapler summary"]) + "\n");
      }
    } finally {
      rmSync(path, { force: true });
    }
  }
}

function describe(tool: string, outcome: Outcome, ours: Outcome | undefined): string {
  if ("failed" in outcome) return `  ${tool.padEnd(18)} failed: ${outcome.failed}`;
  const ratio = ours && !("failed" in ours) && tool !== "heapler summary"
    ? `  (time ×${(outcome.seconds / ours.seconds).toFixed(1)}, memory ×${
      (outcome.peakRssBytes / ours.peakRssBytes).toFixed(1)
    } of heapler's summary)`
    : "";
  return `  ${tool.padEnd(18)} ${outcome.seconds.toFixed(2).padStart(7)} s ${
    (outcome.peakRssBytes / 1e9).toFixed(2).padStart(6)
  } GB peak${ratio}`;
}
