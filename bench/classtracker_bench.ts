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
import {
  collectGarbage,
  detectRuntime,
  engineMemory,
  settleFinalizers,
} from "../src/runtime/mod.ts";

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
/** Each way of constructing, made fresh for each measurement so none inherits another's garbage. */
const variants: [label: string, setUp: () => (i: number) => object][] = [
  ["untracked", () => (i) => new Point(i, i)],
  // The floor any tracker of this design pays: a WeakRef (to size the object later) and a
  // finalization cell (to learn of its death) per instance.
  ["WeakRef + cell", () => {
    const registry = new FinalizationRegistry<number>(() => {});
    return (i) => {
      const point = new Point(i, i);
      new WeakRef(point);
      registry.register(point, i);
      return point;
    };
  }],
  ["trackClass", () => {
    const Tracked = new ClassTracker().trackClass(Point);
    return (i) => new Tracked(i, i);
  }],
  ["trackClass, keep", () => {
    const Tracked = new ClassTracker().trackClass(Point, { keep: true });
    return (i) => new Tracked(i, i);
  }],
];

const measured: { label: string; bytes: number; time: number }[] = [];
for (const [label, setUp] of variants) {
  const bytes = bytesPerInstance(setUp());
  await settleFinalizers();
  const time = timePerConstruction(setUp());
  await settleFinalizers();
  measured.push({ label, bytes, time });
}
const [plain] = measured;
for (const { label, bytes, time } of measured) {
  const added = label === "untracked"
    ? ""
    : `, +${(time - plain!.time).toFixed(0)} ns and +${(bytes - plain!.bytes).toFixed(0)} B`;
  process.stdout.write(
    `  ${label.padEnd(18)} ${time.toFixed(0).padStart(5)} ns per construction, ${
      bytes.toFixed(0).padStart(4)
    } B per instance${added}\n`,
  );
}
