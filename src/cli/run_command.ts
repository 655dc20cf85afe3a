/**
 * The `heapler run` verb: profiles any program without changing it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { type ProgramRuntime, runProgram } from "../run/mod.ts";
import { type Command, UsageError } from "./_command.ts";
import { intOption } from "./heap_commands.ts";

/** `heapler run`: starts a program with heapler preloaded, reporting the types that grow. */
export const runCommand: Command = {
  name: "run",
  summary: "Run a program with heapler preloaded: growing types as it goes, a report at the end",
  usage:
    `Usage: heapler run [--interval 5s] [--wait-for-growth] [--out DIR] [--web [--port N]] [--runtime R] -- <program> [args]

Starts the program (node app.js, deno run app.ts, bun app.ts, or app.js on --runtime) with
heapler loaded first. From time to time it takes a type summary of the program's heap and prints
what grew, and which types grew in every interval so far; when the program ends (or on Ctrl+C)
it writes DIR/report.txt. The program's output and exit code pass through.

A summary stops the program while the engine writes its heap (seconds for a large heap), so by
default summaries are at least 5 s apart and spaced to take at most 5 % of the program's time.
On Bun a snapshot also slows the program for the rest of its life, so by default there the first
one waits until the heap grows: until then, each interval heapler collects garbage and reads the
heap's size (tens of milliseconds).

Options:
  --interval T   A summary every T, whatever it costs: 5s, 500ms or seconds
  --wait-for-growth
                 No snapshot until the heap grows (by 1 % at three intervals in a row, or
                 25 % in all, after full collections); the default on Bun without --interval
  --out DIR      Where the report goes (default heapler-run)
  --web          Also serve the web front end inside the program (its address is printed)
  --port N       The front end's port, 0 for any free one (default 8090)
  --runtime R    The runtime when the program does not start with node, deno or bun
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        interval: { type: "string" },
        out: { type: "string" },
        runtime: { type: "string" },
        web: { type: "boolean" },
        port: { type: "string" },
        "wait-for-growth": { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0) {
      throw new UsageError("Expected a program after --, e.g. heapler run -- node app.js");
    }
    if (values.port !== undefined && !values.web) throw new UsageError("--port goes with --web");
    const runtime = values.runtime;
    if (runtime !== undefined && runtime !== "node" && runtime !== "deno" && runtime !== "bun") {
      throw new UsageError(`--runtime takes node, deno or bun, not "${runtime}"`);
    }
    const code = await runProgram({
      command: positionals,
      ...(values.interval === undefined ? {} : { interval: seconds(values.interval) }),
      out: values.out ?? "heapler-run",
      ...(runtime === undefined ? {} : { runtime: runtime as ProgramRuntime }),
      ...(values.web ? { webPort: intOption(values.port, "port", 8090) } : {}),
      ...(values["wait-for-growth"] ? { waitForGrowth: true } : {}),
    });
    if (code !== 0) io.stderr.write(`heapler: the program exited with code ${code}\n`);
    return code;
  },
};

/** `5s`, `500ms` or `2.5` (seconds) as seconds. */
function seconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  const value = match === null ? NaN : Number(match[1]) / (match[2] === "ms" ? 1000 : 1);
  if (!(value >= 0.1)) {
    throw new UsageError(`--interval takes a time of at least 100ms (5s, 500ms), not "${text}"`);
  }
  return value;
}
