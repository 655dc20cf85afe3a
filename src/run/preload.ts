/**
 * Loaded before a program's own code (`node --import`, `deno run --preload`, `bun --preload`
 * with the package's `dist/preload.js`; `heapler run` does this for you): takes a SummaryTracker diff
 * every interval, prints the types that grow to standard error, and writes a report when the
 * program ends. Settings come from the environment: `HEAPLER_RUN_INTERVAL` (seconds, default 5),
 * `HEAPLER_RUN_OUT` (the report's directory, default `heapler-run`) and `HEAPLER_RUN_WEB` (a port:
 * serve the web front end inside the program, on loopback, without keeping it alive).
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
import { pp } from "../format/mod.ts";
import { format, growingInEvery, type SummaryRow } from "../summary/mod.ts";
import { SummaryTracker } from "../tracker/mod.ts";
import { environmentVariable, onSignal, programHandles } from "../runtime/internal.ts";
import { startInBackground } from "../web/mod.ts";

const interval = Number(environmentVariable("HEAPLER_RUN_INTERVAL") ?? 5);
const out = environmentVariable("HEAPLER_RUN_OUT") ?? "heapler-run";
const started = performance.now();
const diffs: { seconds: number; rows: SummaryRow[] }[] = [];
const tracker = new SummaryTracker();
let busy = false;

const timer = setInterval(async () => {
  if (busy) return; // a summary still being taken: skip this tick rather than pile up
  busy = true;
  try {
    const rows = await tracker.diff();
    const seconds = (performance.now() - started) / 1000;
    diffs.push({ seconds, rows });
    report(seconds, rows);
  } finally {
    busy = false;
  }
}, Math.max(0.1, interval) * 1000);
timer.unref();

const webPort = environmentVariable("HEAPLER_RUN_WEB");
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
function report(seconds: number, rows: readonly SummaryRow[]): void {
  const grown = [...rows].filter(([, count]) => count > 0).sort((a, b) => b[2] - a[2]);
  const shown = grown.slice(0, 5).map(([type, count, size]) =>
    `${type} +${count} (${pp(size).trim()})`
  );
  const growing = growingEveryInterval();
  process.stderr.write(
    `[heapler] ${seconds.toFixed(1)} s: ${
      shown.length === 0 ? "nothing grew" : `grew ${shown.join(", ")}`
    }${
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

/** Writes every interval's table and the verdict, once, as the program exits. */
function writeReport(): void {
  if (written) return;
  written = true;
  const steady = growingSteadily();
  const lines = [
    `heapler run: ${diffs.length} summaries, one every ${interval} s`,
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
