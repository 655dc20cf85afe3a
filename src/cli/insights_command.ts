/**
 * `heapler insights`: where a snapshot's memory is wasted, and what grows over a series.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { escapeTerminal } from "../format/internal.ts";
import { formatGrowth, formatInsights, insights, unboundGrowth } from "../insights/mod.ts";
import { type Command, UsageError } from "./_command.ts";
import { intOption, load, writeJson } from "./heap_commands.ts";

export const insightsCommand: Command = {
  name: "insights",
  summary:
    "Find wasted memory (duplicated strings, empty collections, shapes) and what keeps growing",
  usage: `Usage: heapler insights <file.heapsnapshot> [more files] [--limit 10] [--json]

Reads the last snapshot for memory that is wasted rather than leaked: string values held in
many identical copies, empty Maps, Sets and arrays kept in numbers, arrays whose storage is far
larger than their elements, arrays whose indices are so far apart that V8 keeps them in a hash
table, collections holding detached DOM nodes (browser snapshots), plain objects of one shape
that a class would lay out smaller, scopes that closures keep alive, and properties the program
put on the global object. Each finding comes with the bytes at stake, who holds the objects and
their ids (for heapler refs --id).

Given three or more snapshots of one process, oldest first, it also lists the types, object
shapes and collections that grew at every step, each with an object to look at and its path.

Options:
  --limit N    Findings to list per insight (default 10)
  --json       Print the findings as JSON
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { limit: { type: "string" }, json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length === 0 || positionals.length === 2) {
      throw new UsageError(
        `Expected one snapshot file, or three or more of one process for what grows; got ${positionals.length}`,
      );
    }
    const limit = intOption(values.limit, "limit", 10);
    const snapshots = [];
    for (const path of positionals) snapshots.push(await load(path, io));
    const found = insights(snapshots[snapshots.length - 1]!, { limit });
    const growth = snapshots.length >= 3 ? unboundGrowth(snapshots, { limit }) : undefined;
    if (values.json) return writeJson(io, growth === undefined ? found : { ...found, growth });
    const lines = [...formatInsights(found), ...(growth === undefined ? [] : formatGrowth(growth))];
    io.stdout.write(lines.map((line) => escapeTerminal(line).trimEnd()).join("\n") + "\n");
    return 0;
  },
};
