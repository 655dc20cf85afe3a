/**
 * The `heapler` verbs that read `.heapsnapshot` files: `summary`, `diff`, `top`, `leaks`, and
 * `snapshot`, which writes one.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { escapeTerminal } from "../format/internal.ts";
import { formatTable, pp, ppShort, trunc } from "../format/mod.ts";
import { diffById, findLeaks, HeapSnapshot } from "../heap/mod.ts";
import { selectedNodes } from "../heap/internal.ts";
import { format, getDiff, type SortKey, summarizeSnapshot, sweep } from "../summary/mod.ts";
import { writeHeapSnapshot } from "../runtime/mod.ts";
import { writeFileAtomic } from "../runtime/internal.ts";
import { ownersTreemap } from "../insights/mod.ts";
import { bold, type CliIo, type Command, UsageError, useColor } from "./_command.ts";

/** Reads a snapshot file, with a progress bar on standard error when it is a terminal. */
export async function load(path: string, io: CliIo): Promise<HeapSnapshot> {
  const size = (await stat(path).catch((error: Error) => {
    throw new Error(`Cannot read ${path}: ${error.message}`, { cause: error });
  })).size;
  const tty = io.stderr.isTTY === true && size > 0;
  let shown = -1;
  const onProgress = (bytes: number) => {
    const percent = Math.floor((100 * bytes) / size);
    if (!tty || percent === shown) return;
    shown = percent;
    const filled = Math.round(percent / 5);
    io.stderr.write(
      `\r${trunc(path, 40, { left: true })} [${"#".repeat(filled)}${
        " ".repeat(20 - filled)
      }] ${percent}%`,
    );
  };
  try {
    return await HeapSnapshot.read(path, { onProgress });
  } finally {
    if (tty) io.stderr.write("\r\u001b[2K");
  }
}

/** The positional arguments, which must be exactly `count` (a usage error otherwise). */
export function positional(args: string[], count: number, names: string): string[] {
  if (args.length !== count) {
    throw new UsageError(
      `Expected ${names}, got ${args.length} file${args.length === 1 ? "" : "s"}`,
    );
  }
  return args;
}

/** A whole-number option, or `fallback` when absent (a usage error when not a whole number). */
export function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new UsageError(`--${name} takes a whole number, not "${value}"`);
  }
  return number;
}

function sortOption(value: string | undefined): SortKey {
  const sort = value ?? "size";
  if (sort !== "size" && sort !== "count" && sort !== "type") {
    throw new UsageError(`--sort takes size, count or type, not "${sort}"`);
  }
  return sort;
}

/** Prints a value as indented JSON: the `--json` of every verb. */
export function writeJson(io: CliIo, value: unknown): number {
  io.stdout.write(JSON.stringify(value, null, 2) + "\n");
  return 0;
}

function heading(io: CliIo, text: string): void {
  io.stdout.write(bold(escapeTerminal(text), useColor(io)) + "\n");
}

/** `heapler summary`: the type table of one snapshot. */
export const summaryCommand: Command = {
  name: "summary",
  summary: "Print the type summary of a .heapsnapshot file",
  usage: `Usage: heapler summary <file.heapsnapshot> [--limit 15] [--sort size|count|type] [--json]

Groups every object of the snapshot by type (DevTools' class names; functions by name) and
prints Pympler's table: types, number of objects, total size.

Options:
  --limit N    Rows to print (default 15)
  --sort KEY   size (default), count or type
  --json       Print every row as JSON: [type, count, size]
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { limit: { type: "string" }, sort: { type: "string" }, json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    const [path] = positional(positionals, 1, "one snapshot file");
    const limit = intOption(values.limit, "limit", 15);
    const sort = sortOption(values.sort);
    const snapshot = await load(path!, io);
    const rows = summarizeSnapshot(snapshot);
    if (values.json) return writeJson(io, rows);
    heading(io, `${path}: ${snapshot.nodeCount} nodes, ${ppShort(total(rows))}`);
    io.stdout.write(format(rows, { limit, sort }).map(escapeTerminal).join("\n") + "\n");
    return 0;
  },
};

function total(rows: readonly [string, number, number][]): number {
  return rows.reduce((sum, row) => sum + row[2], 0);
}

/** `heapler diff`: what changed between two snapshots. */
export const diffCommand: Command = {
  name: "diff",
  summary: "Compare two .heapsnapshot files: types that grew, and the largest new objects",
  usage: `Usage: heapler diff <before.heapsnapshot> <after.heapsnapshot> [--limit 15] [--json]
                    [--internals]

Prints the difference of the two type summaries (Pympler's tracker diff) and, for snapshots
of one process with stable object ids (Node, Deno, Chrome; not Bun), the largest objects that
are new in the second one, with their retaining paths: the program's objects, functions and
strings that the root reaches, not the engine's code, shapes and feedback.

Options:
  --limit N      Rows of each table (default 15)
  --internals    List the engine's new structures among the new objects too
  --json         Print {"types": rows, "added": objects} as JSON
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        limit: { type: "string" },
        json: { type: "boolean" },
        internals: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    const [beforePath, afterPath] = positional(positionals, 2, "two snapshot files");
    const limit = intOption(values.limit, "limit", 15);
    const before = await load(beforePath!, io);
    const after = await load(afterPath!, io);
    const types = sweep(getDiff(summarizeSnapshot(before), summarizeSnapshot(after)));
    const stable = before.stableIds && after.stableIds;
    const listed = listedNodes(after, values.internals);
    const added = stable
      ? [...diffById(before, after).added]
        .filter((node) => listed[node] === 1)
        .sort((a, b) => after.retainedSizes[b]! - after.retainedSizes[a]!)
        .slice(0, limit)
        .map((node) => ({
          ...after.node(node).toObject(),
          retainedSize: after.retainedSizes[node]!,
          path: after.describePath(node),
        }))
      : undefined;
    if (values.json) return writeJson(io, { types, added: added ?? null });
    heading(io, "Types (after − before)");
    io.stdout.write(format(types, { limit }).map(escapeTerminal).join("\n") + "\n");
    io.stdout.write("\n");
    if (added === undefined) {
      io.stdout.write(
        "New objects: not available, these snapshots do not keep object ids (Bun)\n",
      );
      return 0;
    }
    heading(io, "Largest new objects");
    io.stdout.write(objectTable(added).join("\n") + "\n");
    return 0;
  },
};

/**
 * The objects the object lists show: the program's (`selectedNodes` with `programOnly`), or with
 * `--internals` every object DevTools lists, the engine's code, shapes and feedback included.
 */
function listedNodes(snapshot: HeapSnapshot, internals = false): Uint8Array {
  return selectedNodes(snapshot, { programOnly: !internals });
}

interface ListedObject {
  id: number;
  className: string;
  selfSize: number;
  retainedSize: number;
  path: string;
}

function objectTable(objects: readonly ListedObject[]): string[] {
  return formatTable([
    ["id", "type", "self", "retained", "retaining path"],
    ...objects.map((object) => [
      `@${object.id}`,
      escapeTerminal(trunc(object.className, 30)),
      pp(object.selfSize),
      pp(object.retainedSize),
      escapeTerminal(trunc(object.path, 90, { left: true })),
    ]),
  ]).map((line) => line.trimEnd());
}

/** `heapler top`: the largest objects of a snapshot. */
export const topCommand: Command = {
  name: "top",
  summary: "List the largest objects of a .heapsnapshot file with their retaining paths",
  usage: `Usage: heapler top <file.heapsnapshot> [--by retained|self] [--limit 20] [--json]
                   [--internals] [--svg FILE]

Lists the program's objects that keep the most memory alive (retained size, as DevTools
computes it) or that are largest themselves, each with a shortest retaining path from the roots.

Options:
  --by KEY       retained (default) or self
  --limit N      Objects to list (default 20)
  --internals    List the engine's structures (code, shapes, contexts' plumbing) too
  --json         Print the objects as JSON
  --svg FILE     Also draw the largest owners as a treemap (areas by retained size, each
                 split into what it alone holds)
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        by: { type: "string" },
        limit: { type: "string" },
        json: { type: "boolean" },
        internals: { type: "boolean" },
        svg: { type: "string" },
      },
      allowPositionals: true,
      strict: true,
    });
    const [path] = positional(positionals, 1, "one snapshot file");
    const by = values.by ?? "retained";
    if (by !== "retained" && by !== "self") {
      throw new UsageError(`--by takes retained or self, not "${by}"`);
    }
    const limit = intOption(values.limit, "limit", 20);
    const snapshot = await load(path!, io);
    const key = by === "retained" ? snapshot.retainedSizes : snapshot.selfSizes;
    const listed = listedNodes(snapshot, values.internals);
    const objects = largest(listed, key, limit).map((node) => ({
      ...snapshot.node(node).toObject(),
      retainedSize: snapshot.retainedSizes[node]!,
      path: snapshot.describePath(node),
    }));
    if (values.svg !== undefined) {
      await writeFileAtomic(values.svg, ownersTreemap(snapshot, { limit }));
      io.stderr.write(`Wrote ${values.svg}\n`);
    }
    if (values.json) return writeJson(io, objects);
    heading(io, `${path}: the ${objects.length} largest objects by ${by} size`);
    io.stdout.write(objectTable(objects).join("\n") + "\n");
    return 0;
  },
};

/** The `limit` listed objects with the largest `key`, largest first, in one pass. */
function largest(listed: Uint8Array, key: Float64Array, limit: number): number[] {
  const top: number[] = [];
  for (let node = 0; node < listed.length; node++) {
    if (listed[node] !== 1) continue;
    if (top.length === limit && key[node]! <= key[top[top.length - 1]!]!) continue;
    let at = top.length;
    while (at > 0 && key[top[at - 1]!]! < key[node]!) at--;
    top.splice(at, 0, node);
    if (top.length > limit) top.pop();
  }
  return top;
}

/** `heapler leaks`: memlab's three-snapshot leak finding. */
export const leaksCommand: Command = {
  name: "leaks",
  summary: "Find objects an action leaked, from baseline, target and final snapshots",
  usage: `Usage: heapler leaks <baseline> <target> <final> [--limit 20] [--json]

Take a snapshot before an action (baseline), after it (target), and after undoing it or
running it again (final). Objects allocated during the action (in target, not in baseline)
that are still alive in final are leaks; they are grouped by type, largest retained size
first, each with the retaining path of its largest object. Needs stable object ids: snapshots
of one Node, Deno or Chrome process (not Bun).

Options:
  --limit N    Groups to list (default 20)
  --json       Print the groups as JSON
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { limit: { type: "string" }, json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    const paths = positional(positionals, 3, "three snapshot files");
    const limit = intOption(values.limit, "limit", 20);
    const [baseline, target, final] = [
      await load(paths[0]!, io),
      await load(paths[1]!, io),
      await load(paths[2]!, io),
    ];
    const groups = findLeaks(baseline, target, final).slice(0, limit);
    if (values.json) return writeJson(io, groups);
    if (groups.length === 0) {
      io.stdout.write("No leaks: nothing allocated during the action is still alive\n");
      return 0;
    }
    heading(io, "Leaked objects by type");
    const rows = [
      ["type", "count", "self", "retained", "retaining path of the largest"],
      ...groups.map((group) => [
        escapeTerminal(trunc(group.className, 30)),
        String(group.count),
        pp(group.selfSize),
        pp(group.retainedSize),
        escapeTerminal(trunc(group.path, 90, { left: true })),
      ]),
    ];
    io.stdout.write(formatTable(rows).map((line) => line.trimEnd()).join("\n") + "\n");
    return 0;
  },
};

/** `heapler snapshot`: write a snapshot of a script after it ran, or of heapler itself. */
export const snapshotCommand: Command = {
  name: "snapshot",
  summary: "Run a script and write a .heapsnapshot of it",
  usage: `Usage: heapler snapshot [-o file.heapsnapshot] [--json] [script.js]

Imports the script in this process, waits for its top level to finish, and writes a heap
snapshot of everything it left alive (atomically: a failed snapshot leaves no file). With no
script, writes one of heapler itself.

Options:
  -o, --output FILE   Where to write (default heapler-<time>.heapsnapshot)
  --json              Print {"path", "bytes"} as JSON
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { output: { type: "string", short: "o" }, json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1) throw new UsageError("Expected at most one script");
    const [script] = positionals;
    if (script !== undefined) await import(pathToFileURL(resolve(script)).href);
    await new Promise((done) => setTimeout(done, 0)); // let the script's first tasks run
    const output = values.output ?? `heapler-${Date.now()}.heapsnapshot`;
    await writeHeapSnapshot(output);
    const { size } = await stat(output);
    if (values.json) return writeJson(io, { path: output, bytes: size });
    io.stdout.write(`Wrote ${output} (${ppShort(size)})\n`);
    return 0;
  },
};
