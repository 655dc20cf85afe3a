/**
 * Lays out and renders random graphs of 100, 1,000 and 2,000 nodes (three edges per node) to SVG
 * with Graphviz compiled to WebAssembly and the automatic engine choice, and prints time and
 * memory. Runs on any of the three runtimes:
 *
 *   node --import ./tests/_support/register_ts.mjs bench/graph_render_bench.ts
 *   npx deno run -A bench/graph_render_bench.ts
 *   npx bun bench/graph_render_bench.ts
 *
 * @module
 */
import process from "node:process";
import { type DotEdge, type DotNode, render, toDot } from "../src/dot/dot.ts";
import { detectRuntime } from "../src/runtime/mod.ts";

/** A deterministic pseudo-random sequence (xorshift), so every run draws the same graphs. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const next = random(20261125);
const runtime = detectRuntime();
process.stdout.write(`${runtime.runtime} ${runtime.version}\n`);
await render(toDot([{ id: "warm", label: "warm", kind: "object" }], [])); // load the WebAssembly once
for (const count of [100, 1000, 2000]) {
  const nodes: DotNode[] = Array.from(
    { length: count },
    (_, i) => ({ id: `n${i}`, label: `Object @${i}`, kind: "object" }),
  );
  const edges: DotEdge[] = [];
  for (let from = 0; from < count; from++) {
    for (let k = 0; k < 3; k++) {
      edges.push({ from, to: Math.floor(next() * count), label: `.p${k}` });
    }
  }
  const started = performance.now();
  const { output, engine, edgeLabels } = await render(toDot(nodes, edges));
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `  ${String(count).padStart(5)} nodes: ${
      seconds.toFixed(2)
    } s with ${engine} (edge labels ${edgeLabels}), ${
      (output.length / 1e6).toFixed(1)
    } MB of SVG, RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB\n`,
  );
}
