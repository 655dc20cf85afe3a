import { parseArgs } from "node:util";
import { formatTable, pp } from "../format/mod.ts";
import { FIELD_LABELS } from "../process/internal.ts";
import { type ProcessMemoryField, ProcessMemoryInfo } from "../process/mod.ts";
import { bold, type Command, useColor } from "./_command.ts";

const COUNT_FIELDS: ReadonlySet<ProcessMemoryField> = new Set(["pagefaults"]);

/**
 * The system's own figures (`/proc/self/status`) that the table already has, read a moment
 * earlier under another name: each figure is one row.
 */
const SHOWN_ABOVE: ReadonlySet<string> = new Set([
  ...Object.values(FIELD_LABELS),
  "Virtual memory size",
]);

/** `heapler process`: the process memory table of a fresh process, or its JSON. */
export const processCommand: Command = {
  name: "process",
  summary: "Print process memory (vsz, rss, page faults, segments, JS heap)",
  usage: `Usage: heapler process [--json]

Prints the memory figures of the heapler process itself, as Pympler's ProcessMemoryInfo:
virtual size, resident set size, major page faults and segments from /proc (Linux), and the
engine's heap figures. Figures the platform cannot give are listed as unknown.

Options:
  --json    Print the figures as JSON
  -h, --help`,
  run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: "boolean" } }, strict: true });
    const info = new ProcessMemoryInfo();
    if (values.json) {
      io.stdout.write(JSON.stringify(info, null, 2) + "\n");
      return Promise.resolve(0);
    }
    const rows: string[][] = [["figure", "value"]];
    for (const field of Object.keys(FIELD_LABELS) as ProcessMemoryField[]) {
      const value = info[field];
      if (value === undefined) continue;
      rows.push([FIELD_LABELS[field], COUNT_FIELDS.has(field) ? String(value) : pp(value)]);
    }
    for (const [label, text] of info.osSpecific) {
      if (!SHOWN_ABOVE.has(label)) rows.push([label, text]);
    }
    io.stdout.write(bold(`Process ${info.pid} memory`, useColor(io)) + "\n");
    io.stdout.write(formatTable(rows).join("\n") + "\n");
    if (info.unknown.length > 0) {
      const names = info.unknown.map((field) => FIELD_LABELS[field]).join(", ");
      io.stdout.write(`Unknown here: ${names}${info.reason ? ` (${info.reason})` : ""}\n`);
    }
    return Promise.resolve(0);
  },
};
