/**
 * Loads one generated heap snapshot with heapler's streaming parser and with `JSON.parse`,
 * each in a fresh process, and prints wall time, peak RSS and the ratios.
 *
 *   node --import ./tests/_support/register_ts.mjs bench/heap_parse_bench.ts [objects]
 *
 * `objects` (default 50,000, about 25 MB of snapshot) sets the size of the generated heap.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { readHeapSnapshot } from "../src/heap/mod.ts";

interface Measurement {
  seconds: number;
  peakRssBytes: number;
  nodes: number;
}

const tools: Record<string, (path: string) => Promise<number>> = {
  async heapler(path) {
    const raw = await readHeapSnapshot(path);
    return raw.nodes.length / raw.header.meta.node_fields.length;
  },
  JSON_parse(path) {
    const json = JSON.parse(readFileSync(path, "utf8"));
    return Promise.resolve(json.nodes.length / json.snapshot.meta.node_fields.length);
  },
};

const loader = ["--import", new URL("../tests/_support/register_ts.mjs", import.meta.url).pathname];
const script = new URL(import.meta.url).pathname;

/** Runs this script again in a fresh Node process with `args`; returns its output. */
function run(args: string[]): string {
  const child = spawnSync(process.execPath, [...loader, script, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`bench step ${args[0]} failed: ${child.stderr}`);
  return child.stdout;
}

const [mode, ...rest] = process.argv.slice(2);

if (mode === "--generate") {
  // Child: build a heap of small objects, arrays, strings, Maps and closures, and write it.
  const [count, path] = rest;
  const keep = Array.from({ length: Number(count) }, (_, i) => ({
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
  process.stdout.write(JSON.stringify(measurement));
} else {
  const objects = Number(mode ?? 50_000);
  const path = join(tmpdir(), `heapler-bench-${process.pid}.heapsnapshot`);
  try {
    run(["--generate", String(objects), path]);
    const bytes = readFileSync(path).length;
    process.stdout.write(`snapshot of ${objects} objects: ${(bytes / 1e6).toFixed(1)} MB\n`);
    const results: Record<string, Measurement> = {};
    for (const tool of Object.keys(tools)) {
      results[tool] = JSON.parse(run(["--measure", tool, path]));
      const { seconds, peakRssBytes, nodes } = results[tool]!;
      process.stdout.write(
        `${tool.padEnd(12)} ${seconds.toFixed(2).padStart(7)} s  ${
          (peakRssBytes / 1e6).toFixed(0).padStart(6)
        } MB peak  ${nodes} nodes\n`,
      );
    }
    const ours = results.heapler!;
    const peer = results.JSON_parse!;
    process.stdout.write(
      `JSON.parse / heapler: time ×${(peer.seconds / ours.seconds).toFixed(2)}, peak memory ×${
        (peer.peakRssBytes / ours.peakRssBytes).toFixed(2)
      }\n`,
    );
  } finally {
    rmSync(path, { force: true });
  }
}
