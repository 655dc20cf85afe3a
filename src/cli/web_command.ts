/**
 * The `heapler web` verb: the browser front end on snapshot files, a class tracker's dump, or
 * heapler's own process.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { Stats } from "../classtracker/mod.ts";
import { untilInterrupted } from "../runtime/internal.ts";
import { startProfiler } from "../web/mod.ts";
import { type Command, UsageError } from "./_command.ts";
import { intOption, load } from "./heap_commands.ts";

/** `heapler web`: serves the front end until Ctrl+C. */
export const webCommand: Command = {
  name: "web",
  summary: "Browse snapshot files or a ClassTracker dump in the browser front end",
  usage:
    `Usage: heapler web [before.heapsnapshot] [after.heapsnapshot] [--stats dump.json] [--port 8090]

Serves heapler's browser front end on 127.0.0.1 until Ctrl+C, and prints its address.
  one snapshot file    its memory summary, the referrer browser and reference graphs
  two snapshot files   also the summary diff between them, and the garbage groups
                       (cycles made in between and still alive, objects freed)
  --stats FILE         a ClassTracker dump (stats.dumpStats()): charts, classes, instances
  no file              heapler's own process, live
To profile a running program, use heapler run --web -- <program>, or call startInBackground()
from heapler/web inside it.

Options:
  --stats FILE   A ClassTracker dump to show on the tracked-classes pages
  --port N       The port, 0 for any free one (default 8090)
  --host ADDR    The address to listen on (default 127.0.0.1); another one needs --remote
  --remote       Listen off loopback: the pages then need the token in the printed address
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        stats: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        remote: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 2) {
      throw new UsageError(`Expected at most two snapshot files, got ${positionals.length}`);
    }
    const port = intOption(values.port, "port", 8090);
    if (port > 65535) throw new UsageError(`--port takes 0 to 65535, not "${values.port}"`);
    const snapshots = [];
    for (const path of positionals) {
      const { mtime } = await stat(path);
      snapshots.push({ snapshot: await load(path, io), name: basename(path), takenAt: mtime });
    }
    let stats: Stats | undefined;
    if (values.stats !== undefined) {
      stats = new Stats({ stream: io.stdout });
      await stats.loadStats(values.stats);
    }
    const stop = new AbortController();
    void untilInterrupted().then(() => stop.abort());
    await startProfiler({
      snapshots,
      ...(stats === undefined ? {} : { stats }),
      port,
      ...(values.host === undefined ? {} : { host: values.host }),
      remote: values.remote ?? false,
      signal: stop.signal,
      stream: io.stdout,
    });
    io.stdout.write("Stopped.\n");
    return 0;
  },
};
