/**
 * The `heapler demo` verb: Pympler's leak tutorial on a built-in leaky server.
 *
 * @module
 */
import { setInterval } from "node:timers";
import { parseArgs } from "node:util";
import { runDemo } from "../demo/mod.ts";
import { untilInterrupted } from "../runtime/internal.ts";
import { MemoryMiddleware, startProfiler } from "../web/mod.ts";
import type { Command } from "./_command.ts";
import { intOption, positional } from "./heap_commands.ts";

/** `heapler demo`: finds, names and locates the leak of a built-in server. */
export const demoCommand: Command = {
  name: "demo",
  summary: "Find, name and locate the leak of a built-in server, as Pympler's tutorial does",
  usage: `Usage: heapler demo [--out DIR] [--web] [--port 8090]

Runs a small built-in server whose requests subscribe to an event bus and never unsubscribe,
and investigates it in three steps, printing each:
  1. Is there a leak?        SummaryTracker diffs over rounds of requests and of health checks
  2. What leaks?             a ClassTracker summary of the suspect classes over the rounds
  3. Where does it leak?     the referrer tree of one leaked object and its retaining path
Then writes into DIR the reference graph of that path (leak-path.svg), a garbage graph of what
the health checks freed (garbage.svg; not on Bun), the ClassTracker report (classtracker.html)
and its dump (classtracker.json).

With --web, the server then keeps taking requests (10 a second, and a health check) and the
browser front end serves it until Ctrl+C: watch memory grow on the overview, take snapshots on
the memory summary, follow RequestContext to the event bus in the referrer browser, and see
each request's memory on the requests page.

Options:
  --out DIR    Where the files go (default heapler-demo)
  --web        Then serve the front end on the still-leaking server
  --port N     The front end's port, 0 for any free one (default 8090)
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { out: { type: "string" }, web: { type: "boolean" }, port: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    positional(positionals, 0, "no file");
    const port = intOption(values.port, "port", 8090);
    const { live } = await runDemo({
      out: values.out ?? "heapler-demo",
      stdout: io.stdout,
      stderr: io.stderr,
      keep: values.web ?? false,
    });
    if (live === undefined) return 0;
    const { server, tracker } = live;
    const requests = new MemoryMiddleware({ tracker, limit: 200 });
    let next = 100_000;
    const handle = requests.wrap((request) => {
      if (new URL(request.url).pathname === "/health") server.healthCheck();
      else server.handle(next++);
      return new Response("ok");
    });
    // One request at a time, so each record's memory figures are its own.
    const traffic = setInterval(async () => {
      for (let i = 0; i < 10; i++) await handle(new Request(`http://demo/orders/${next}`));
      await handle(new Request("http://demo/health"));
    }, 1000);
    tracker.startPeriodicSnapshots({ interval: 10 });
    const stop = new AbortController();
    void untilInterrupted().then(() => stop.abort());
    io.stdout.write("\nThe server keeps leaking while the front end is open (Ctrl+C to stop).\n");
    try {
      await startProfiler({ tracker, requests, port, signal: stop.signal, stream: io.stdout });
    } finally {
      clearInterval(traffic);
      await tracker.stopPeriodicSnapshots();
      server.clearListeners();
    }
    io.stdout.write("Stopped.\n");
    return 0;
  },
};
