/**
 * Load on the web front end: 200 concurrent requests to the summary's JSON endpoint on loopback,
 * each bounded by a timeout, with latency percentiles and the failures counted; then the same
 * load on a bare server of the same runtime answering the same bytes from memory, for the ratio
 * (what heapler's handler adds to the runtime's own HTTP). Exits 1 on any failed request.
 *
 *   node --import ./tests/_support/register_ts.mjs bench/web_load_bench.ts
 *   npx deno run -A bench/web_load_bench.ts
 *   npx bun bench/web_load_bench.ts
 *
 * @module
 */
import process from "node:process";
import { detectRuntime } from "../src/runtime/mod.ts";
import { serve } from "../src/runtime/internal.ts";
import { startInBackground } from "../src/web/mod.ts";

const CONCURRENT = 200;
const TIMEOUT_MS = 30_000;

interface Load {
  seconds: number;
  latencies: number[];
  failed: string[];
  bytes: number;
}

/** Fires `CONCURRENT` requests at once and waits for all of them. */
async function load(url: string): Promise<Load> {
  const failed: string[] = [];
  let bytes = 0;
  const started = performance.now();
  const latencies = await Promise.all(Array.from({ length: CONCURRENT }, async () => {
    const sent = performance.now();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      const body = await response.arrayBuffer();
      if (response.status !== 200) failed.push(`status ${response.status}`);
      bytes = body.byteLength;
    } catch (error) {
      failed.push(error instanceof Error ? error.message : String(error));
    }
    return performance.now() - sent;
  }));
  return { seconds: (performance.now() - started) / 1000, latencies, failed, bytes };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(name: string, result: Load): void {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  process.stdout.write(
    `  ${name.padEnd(22)} ${result.seconds.toFixed(2)} s for ${CONCURRENT} requests of ${
      (result.bytes / 1024).toFixed(0)
    } KiB: p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${
      percentile(sorted, 95).toFixed(0)
    } ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${
      sorted.at(-1)!.toFixed(0)
    } ms, ${result.failed.length} failed\n`,
  );
}

const runtime = detectRuntime();
process.stdout.write(`${runtime.runtime} ${runtime.version}\n`);
const profiler = await startInBackground({ port: 0 });
const token = { "x-heapler-token": profiler.token, accept: "application/json" };
const taken = await fetch(new URL("/summary/snapshot", profiler.url), {
  method: "POST",
  headers: token,
});
if (taken.status !== 200) throw new Error(`Cannot take the snapshot: ${taken.status}`);
const summaryUrl = new URL("/api/summary", profiler.url).href;
const body = new Uint8Array(await (await fetch(summaryUrl)).arrayBuffer());
await load(summaryUrl); // warm up both sides once
const ours = await load(summaryUrl);
await profiler.close();

const bare = await serve(
  () => new Response(body, { headers: { "content-type": "application/json" } }),
  { hostname: "127.0.0.1", port: 0 },
);
const bareUrl = `http://127.0.0.1:${bare.port}/`;
await load(bareUrl);
const peer = await load(bareUrl);
await bare.close();

report("heapler /api/summary", ours);
report("bare server, same bytes", peer);
process.stdout.write(
  `  ratio (heapler / bare): ${(ours.seconds / peer.seconds).toFixed(2)}x in total time, ${
    (percentile([...ours.latencies].sort((a, b) => a - b), 95) /
      percentile([...peer.latencies].sort((a, b) => a - b), 95)).toFixed(2)
  }x at p95\n`,
);
const failures = [...ours.failed, ...peer.failed];
if (failures.length > 0) {
  process.stdout.write(`  failures: ${[...new Set(failures)].join("; ")}\n`);
  process.exitCode = 1;
}
