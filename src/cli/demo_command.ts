/**
 * The `heapler demo` verb: Pympler's leak tutorial on a built-in leaky server.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { runDemo } from "../demo/mod.ts";
import type { Command } from "./_command.ts";
import { positional } from "./heap_commands.ts";

/** `heapler demo`: finds, names and locates the leak of a built-in server. */
export const demoCommand: Command = {
  name: "demo",
  summary: "Find, name and locate the leak of a built-in server, as Pympler's tutorial does",
  usage: `Usage: heapler demo [--out DIR]

Runs a small built-in server whose requests subscribe to an event bus and never unsubscribe,
and investigates it in three steps, printing each:
  1. Is there a leak?        SummaryTracker diffs over rounds of requests and of health checks
  2. What leaks?             a ClassTracker summary of the suspect classes over the rounds
  3. Where does it leak?     the referrer tree of one leaked object and its retaining path
Then writes into DIR the reference graph of that path (leak-path.svg), a garbage graph of what
the health checks freed (garbage.svg; not on Bun), the ClassTracker report (classtracker.html)
and its dump (classtracker.json).

Options:
  --out DIR    Where the files go (default heapler-demo)
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { out: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    positional(positionals, 0, "no file");
    await runDemo({ out: values.out ?? "heapler-demo", stdout: io.stdout, stderr: io.stderr });
    return 0;
  },
};
