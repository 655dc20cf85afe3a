/**
 * Loaded before a program's own code (`node --import`, `deno run --preload`, `bun --preload`
 * with the package's `dist/preload.js`; `heapler run` does this for you): takes SummaryTracker
 * diffs, prints the types that grow to standard error, and writes a report when the program
 * ends. Settings come from the environment: `HEAPLER_RUN_INTERVAL` (seconds: a diff every
 * interval, whatever it costs), `HEAPLER_RUN_OUT` (the report's directory, default
 * `heapler-run`), `HEAPLER_RUN_WEB` (a port: serve the web front end inside the program, on
 * loopback, without keeping it alive) and `HEAPLER_RUN_WAIT_FOR_GROWTH` (`1`: no snapshot until
 * the heap grows; `0`: summaries from the start).
 *
 * Without an interval, diffs come at most every 5 seconds and only as often as keeps heapler
 * within 5 % of the program's time: a summary stops the program while the engine writes its
 * snapshot (measured on Node 20: 2.5 s for a heap of 36 MB), so a diff waits until the time since
 * the last one is 19 times what the next should cost, estimated from the last one's cost per
 * byte of heap.
 *
 * On Bun, by default, heapler takes no snapshot until the heap grows: JavaScriptCore keeps what a
 * snapshot builds for the rest of the process, with no way to drop it (measured: allocation 3-9x
 * slower after one; a server under load lost 10.7 % of its requests to summaries every 5 s that
 * found nothing). Each tick it collects garbage and reads the heap's size instead (tens of
 * milliseconds), and the first summary, the baseline, comes once {@linkcode HeapGrowth} sees the
 * heap grow.
 *
 * @example
 * ```sh
 * HEAPLER_RUN_INTERVAL=2 node --import ./node_modules/heapler/dist/preload.js server.js
 * ```
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { setInterval } from "node:timers";
import { ppShort } from "../format/mod.ts";
import { format, growingInEvery, type SummaryRow } from "../summary/mod.ts";
import { SummaryTracker } from "../tracker/mod.ts";
import { detectRuntime, engineMemory, forgetObjectIds } from "../runtime/mod.ts";
import {
  environmentVariable,
  liveHeapBytes,
  onSignal,
  programHandles,
} from "../runtime/internal.ts";
import { startInBackground } from "../web/mod.ts";
import { HeapGrowth } from "./heap_growth.ts";

const fixedInterval = environmentVariable("HEAPLER_RUN_INTERVAL");
/** Seconds between diffs, or the shortest gap when the budget decides. */
const interval = Math.max(0.1, Number(fixedInterval ?? 5));
/** Without a fixed interval, the share of the program's time heapler's diffs may take. */
const BUDGET = 0.05;
/**
 * Seconds a summary costs per byte of used heap, until one is measured (measured: Node 20 2.5 s
 * for 36 MB, Deno 1.9 s for 44 MB, Bun 0.9 s for 24 MB).
 */
let secondsPerByte =
  { node: 2.5 / 36e6, deno: 1.9 / 44e6, bun: 0.9 / 24e6 }[detectRuntime().runtime];
const out = environmentVariable("HEAPLER_RUN_OUT") ?? "heapler-run";
const started = performance.now();
/** When the last diff ended. */
let lastEnded = started;
const diffs: { seconds: number; rows: SummaryRow[]; cost: number }[] = [];
const waitSetting = environmentVariable("HEAPLER_RUN_WAIT_FOR_GROWTH");
/** Readings of the heap until it grows, when the first snapshot waits for that. */
const growth = waitSetting === "1" ||
    (waitSetting === undefined && fixedInterval === undefined && detectRuntime().engine === "jsc")
  ? new HeapGrowth()
  : undefined;
let busy = false;
const webPort = environmentVariable("HEAPLER_RUN_WEB");
/**
 * Summaries compare types, not object ids: after each, V8 is told to forget the ids, or it would
 * keep them through every object move for the rest of the program (measured on Node 20: an
 * allocation loop 5x slower after one snapshot). Not with the web front end in the program,
 * whose garbage check matches objects by id.
 */
const forgetIds = () => {
  if (webPort === undefined) forgetObjectIds();
};

/** Seconds the baseline summary took. */
let baselineCost = 0;
let tracker = growth === undefined ? startTracker() : undefined;
/** When and how the heap grew, when the first snapshot waited for it. */
let grew: string | undefined;

/** A tracker whose baseline summary is taken now; the next tick waits until it is. */
function startTracker(): SummaryTracker {
  const heapUsed = engineMemory().heapUsed ?? 0;
  const began = performance.now();
  const created = new SummaryTracker();
  busy = true;
  const taken = () => {
    lastEnded = performance.now();
    baselineCost = (lastEnded - began) / 1000;
    if (heapUsed > 0) secondsPerByte = baselineCost / heapUsed;
    busy = false;
  };
  created.ready.then(forgetIds, () => {}).then(taken);
  return created;
}

const timer = setInterval(async () => {
  if (busy) return; // a summary still being taken: skip this tick rather than pile up
  if (tracker === undefined) {
    const bytes = liveHeapBytes();
    if (!growth!.add(bytes)) return;
    grew = `At ${elapsedSeconds().toFixed(1)} s the heap grew from ${ppShort(growth!.lowest)} to ${
      ppShort(bytes)
    } (after full collections): summaries began.`;
    process.stderr.write(`[heapler] ${grew}\n`);
    tracker = startTracker();
    return;
  }
  // A tick held up by the last summary comes as soon as that ends: summaries back to back would
  // leave the program no time, nor let it end when its work is done (a summary's I/O keeps the
  // event loop alive). A tenth of an interval at least in between.
  if (performance.now() - lastEnded < interval * 100) return;
  const heapUsed = engineMemory().heapUsed ?? 0;
  if (fixedInterval === undefined && !withinBudget(secondsPerByte * heapUsed)) return;
  busy = true;
  const began = performance.now();
  try {
    const rows = await tracker.diff();
    const seconds = elapsedSeconds();
    const cost = (performance.now() - began) / 1000;
    if (heapUsed > 0) secondsPerByte = cost / heapUsed;
    diffs.push({ seconds, rows, cost });
    report(seconds, rows, cost);
    forgetIds();
  } finally {
    lastEnded = performance.now();
    busy = false;
  }
}, interval * 1000);
timer.unref();

function elapsedSeconds(): number {
  return (performance.now() - started) / 1000;
}

/** Whether a diff costing `cost` seconds now keeps heapler's share of the time within the budget. */
function withinBudget(cost: number): boolean {
  const idle = (performance.now() - lastEnded) / 1000;
  return cost <= BUDGET * (idle + cost);
}

if (webPort !== undefined) {
  startInBackground({ port: Number(webPort) }).then(
    (profiler) => process.stderr.write(`[heapler] web front end at ${profiler.url}\n`),
    (error) => process.stderr.write(`[heapler] no web front end: ${error.message}\n`),
  );
}

let written = false;
process.on("exit", writeReport);
// A crash: Deno ends the program without the "exit" event.
process.on("uncaughtExceptionMonitor", writeReport);
// Ctrl+C, SIGTERM, SIGHUP: the report first; then the program's own handler, or the default ending.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
  onSignal(signal, () => {
    writeReport();
    if (!programHandles(signal)) process.exit(code);
  });
}

/** Prints one interval's growth, and the types that grew in every interval so far. */
function report(seconds: number, rows: readonly SummaryRow[], cost: number): void {
  const grown = [...rows].filter(([, count]) => count > 0).sort((a, b) => b[2] - a[2]);
  const shown = grown.slice(0, 5).map(([type, count, size]) =>
    `${type} +${count} (${ppShort(size)})`
  );
  const growing = growingEveryInterval();
  const wait = fixedInterval === undefined && cost * (1 / BUDGET - 1) > interval
    ? `\n[heapler] this summary took ${cost.toFixed(1)} s: the next waits ${
      Math.ceil(cost * (1 / BUDGET - 1))
    } s, to keep heapler within ${BUDGET * 100} % of the time (--interval sets a fixed one)`
    : "";
  process.stderr.write(
    `[heapler] ${seconds.toFixed(1)} s: ${
      shown.length === 0 ? "nothing grew" : `grew ${shown.join(", ")}`
    }${wait}${
      growing.length > 0 && diffs.length >= 2
        ? `\n[heapler] growing in every interval so far: ${growing.join(", ")}`
        : ""
    }\n`,
  );
}

/** The types that grew in every interval measured. */
function growingEveryInterval(): string[] {
  return growingInEvery(diffs.map(({ rows }) => rows)).map(([type]) => type).sort();
}

/**
 * The types that grew in at least half the intervals (and two) and never shrank: a leak keeps
 * growing while the program works, and intervals after it went idle do not hide it.
 */
function growingSteadily(): string[] {
  const counts = new Map<string, { grew: number; shrank: boolean }>();
  for (const { rows } of diffs) {
    for (const [type, count] of rows) {
      const entry = counts.get(type) ?? { grew: 0, shrank: false };
      if (count > 0) entry.grew++;
      if (count < 0) entry.shrank = true;
      counts.set(type, entry);
    }
  }
  const needed = Math.max(2, Math.ceil(diffs.length / 2));
  return [...counts].filter(([, { grew, shrank }]) => grew >= needed && !shrank).map(([type]) =>
    type
  )
    .sort();
}

/** Why there was no summary: heapler was waiting for the heap to grow. */
function stillWaiting(): string {
  const why = detectRuntime().engine === "jsc"
    ? " (on Bun a snapshot slows the program for the rest of its life)"
    : "";
  const { latest, lowest } = growth!;
  return latest === undefined
    ? `heapler waits for the heap to grow before its first snapshot${why}; the program ended before the first reading.`
    : `The heap did not grow (${ppShort(lowest)} to ${
      ppShort(latest)
    } after full collections): heapler takes no snapshot until it does${why}.`;
}

/** Writes every interval's table and the verdict, once, as the program exits. */
function writeReport(): void {
  if (written) return;
  written = true;
  const steady = growingSteadily();
  const spent = diffs.reduce((sum, { cost }) => sum + cost, baselineCost);
  const elapsed = elapsedSeconds();
  const lines = [
    `heapler run: ${diffs.length} summaries${tracker === undefined ? "" : " after a baseline"}, ${
      fixedInterval === undefined
        ? `at least ${interval} s apart and within ${BUDGET * 100} % of the time`
        : `one every ${interval} s`
    }; they took ${spent.toFixed(1)} s of ${elapsed.toFixed(1)} s`,
    ...(tracker === undefined ? [stillWaiting()] : grew === undefined ? [] : [grew]),
    steady.length > 0
      ? `Grew steadily (in at least half the intervals, never shrinking): ${steady.join(", ")}`
      : "Nothing grew steadily.",
    "",
  ];
  for (const { seconds, rows } of diffs) {
    lines.push(`After ${seconds.toFixed(1)} s:`, ...format(rows, { limit: 15 }), "");
  }
  try {
    mkdirSync(out, { recursive: true });
    const path = join(out, "report.txt");
    writeFileSync(path, lines.join("\n"));
    process.stderr.write(`[heapler] report written to ${path}\n`);
  } catch (error) {
    process.stderr.write(`[heapler] could not write the report: ${(error as Error).message}\n`);
  }
}
