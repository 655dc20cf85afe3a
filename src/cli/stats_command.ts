/**
 * The `heapler stats` verb: prints or renders a class tracker's dump.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ConsoleStats, HtmlStats, type SortKey } from "../classtracker/mod.ts";
import { type Command, UsageError } from "./_command.ts";
import { positional, writeJson } from "./heap_commands.ts";

/** Objects printed unless `--limit` says otherwise: a dump can hold thousands. */
const DEFAULT_OBJECTS = 20;

const SORT_KEYS = ["classname", "name", "birth", "death", "size", "tsize", "repr"];

/** `heapler stats`: a ClassTracker dump as text, or as an HTML report. */
export const statsCommand: Command = {
  name: "stats",
  summary: "Print a ClassTracker dump (dumpStats), or write it as an HTML report",
  usage:
    `Usage: heapler stats <profile.json> [--sort size] [--limit N] [--class NAME] [--html report.html] [--json]

Reads a file written by ClassTracker's stats.dumpStats() and prints the summary table per
snapshot, then each tracked object (largest first) with its sizes over time; or, with --html,
writes a self-contained HTML report with charts.

Options:
  --sort KEYS    Comma-separated: classname, name, birth, death, size, tsize, repr
                 (sizes largest first, the rest ascending; default size)
  --limit N      Objects to print: a count, or a share below 1 (0.1 = a tenth); default 20,
                 all of them with --json
  --class NAME   Only objects whose name contains NAME
  --html FILE    Write the HTML report to FILE instead of printing
  --title TEXT   The HTML report's title
  --json         Print the summary per snapshot and the objects as JSON
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        sort: { type: "string" },
        limit: { type: "string" },
        class: { type: "string" },
        html: { type: "string" },
        title: { type: "string" },
        json: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    const [path] = positional(positionals, 1, "one stats dump");
    const keys = (values.sort ?? "size").split(",").map((key) => key.trim());
    const unknown = keys.find((key) => !SORT_KEYS.includes(key));
    if (unknown !== undefined) {
      throw new UsageError(`--sort takes ${SORT_KEYS.join(", ")}, not "${unknown}"`);
    }
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !(limit > 0)) {
      throw new UsageError(`--limit takes a count or a share above 0, not "${values.limit}"`);
    }
    if (values.html !== undefined) {
      const html = new HtmlStats({ stream: io.stdout });
      await html.loadStats(path!);
      await html.createHtml(values.html, values.title === undefined ? {} : { title: values.title });
      io.stdout.write(`Wrote ${values.html}\n`);
      return 0;
    }
    const stats = await ConsoleStats.fromFile(path!, { stream: io.stdout });
    const byClass = values.class === undefined ? {} : { clsname: values.class };
    const selection = { ...byClass, ...(limit === undefined ? {} : { limit }) };
    stats.sortStats(...(keys as SortKey[]));
    if (values.json) {
      return writeJson(io, {
        snapshots: stats.snapshots.map((snapshot) => ({
          desc: snapshot.desc,
          timestamp: snapshot.timestamp,
          classes: Object.fromEntries(
            [...stats.annotateSnapshot(snapshot)].map(([name, { active, sum, avg, pct }]) => [
              name,
              { active, sum, avg, pct },
            ]),
          ),
        })),
        objects: stats.selected(selection).map((object) => ({
          id: object.id,
          name: object.name,
          repr: object.repr,
          birth: object.birth,
          death: object.death ?? null,
          size: object.maxSize(),
        })),
      });
    }
    stats.printSummary();
    const shown = { ...selection, limit: selection.limit ?? DEFAULT_OBJECTS };
    stats.printStats(shown);
    const all = stats.selected(byClass).length;
    const printed = stats.selected(shown).length;
    if (printed < all) {
      io.stdout.write(
        `(${printed} of ${all} tracked objects, largest first by --sort; --limit N prints more)\n`,
      );
    }
    return 0;
  },
};
