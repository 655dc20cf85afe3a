/**
 * The cost of tracking: time added per tracked construction and bytes held per tracked instance,
 * against untracked construction of the same class in the same run (goal: at most 1 µs and
 * 150 B). Runs on any of the three runtimes:
 *
 *   node --import ./tests/_support/register_ts.mjs bench/classtracker_bench.ts
 *   npx deno run -A bench/classtracker_bench.ts
 *   npx bun bench/classtracker_bench.ts
 *
 * @module
 */
import process from "node:process";
import { ClassTracker } from "../src/classtracker/mod.ts";
import { collectGarbage, detectRuntime, engineMemory } from "../src/runtime/mod.ts";

class Point {
  constructor(readonly x: number, readonly y: number) {}
}

const COUNT = 200_000;
const ROUNDS = 5;

/** Nanoseconds per construction, the best of a few rounds (the rest is noise). */
function timePerConstruction(make: (i: number) => object): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const held: object[] = new Array(COUNT);
    const started = performance.now();
    for (let i = 0; i < COUNT; i++) held[i] = make(i);
    best = Math.min(best, ((performance.now() - started) * 1e6) / COUNT);
  }
  return best;
}

/** Bytes of heap in use after a full collection. */
function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return engineMemory().heapUsed ?? 0;
}

/** Bytes held per instance made and kept by `make`, over an empty baseline. */
function bytesPerInstance(make: (i: number) => object): number {
  const held: object[] = new Array(COUNT);
  const before = heapUsed();
  for (let i = 0; i < COUNT; i++) held[i] = make(i);
  const after = heapUsed();
  if (held.length !== COUNT) throw new Error("unreachable");
  return (after - before) / COUNT;
}

const runtime = detectRuntime();
process.stdout.write(
  `${runtime.runtime} ${runtime.version}, ${COUNT.toLocaleString("en")} instances\n`,
);
const plainTime = timePerConstruction((i) => new Point(i, i));
const plainBytes = bytesPerInstance((i) => new Point(i, i));
for (
  const [label, options] of [["trackClass", {}], ["trackClass, keep", { keep: true }]] as const
) {
  const timed = new ClassTracker();
  const TimedPoint = timed.trackClass(Point, options);
  const trackedTime = timePerConstruction((i) => new TimedPoint(i, i));
  timed.detachAll();
  const weighed = new ClassTracker();
  const WeighedPoint = weighed.trackClass(Point, options);
  const trackedBytes = bytesPerInstance((i) => new WeighedPoint(i, i));
  process.stdout.write(
    `  ${label.padEnd(18)} +${
      (trackedTime - plainTime).toFixed(0).padStart(5)
    } ns per construction (${plainTime.toFixed(0)} ns untracked), +${
      (trackedBytes - plainBytes).toFixed(0).padStart(4)
    } B per instance (${plainBytes.toFixed(0)} B untracked)\n`,
  );
  weighed.detachAll();
}
