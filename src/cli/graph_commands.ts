/**
 * The `heapler` verbs that draw: `refs` (a referrer tree), `graph` (a reference graph) and
 * `garbage` (what was freed between two snapshots), all from `.heapsnapshot` files.
 *
 * @module
 */
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { GarbageGraph } from "../garbagegraph/mod.ts";
import { RENDER_NODE_LIMIT, type RenderFormat } from "../dot/mod.ts";
import { ReferenceGraph } from "../refgraph/mod.ts";
import { escapeTerminal } from "../format/internal.ts";
import { formatTree, referrerTree } from "../refbrowser/mod.ts";
import { type CliIo, type Command, UsageError } from "./_command.ts";
import { intOption, load, positional, writeJson } from "./heap_commands.ts";

const FORMATS: Record<string, RenderFormat> = {
  ".svg": "svg",
  ".ps": "ps",
  ".eps": "eps",
  ".json": "json",
};

/**
 * Writes a graph to `path`, in the format its extension names (`.dot` is the DOT text, whole);
 * a drawing holds at most {@linkcode RENDER_NODE_LIMIT} objects, and says so when it cuts.
 */
async function writeDrawing(graph: ReferenceGraph, path: string, io: CliIo): Promise<boolean> {
  const extension = extname(path).toLowerCase();
  if (extension === ".dot" || extension === ".gv") {
    await graph.writeGraph(path);
    return true;
  }
  const format = FORMATS[extension];
  if (format === undefined) {
    throw new UsageError(`-o takes a .svg, .ps, .eps, .json or .dot file, not "${path}"`);
  }
  if (graph.nodes.length > RENDER_NODE_LIMIT) {
    io.stderr.write(
      `heapler: drew the first ${RENDER_NODE_LIMIT} of ${graph.nodes.length} objects (the rest would take minutes to lay out); -o file.dot or --json has all of them\n`,
    );
  }
  return await graph.render(path, { format });
}

function idOption(value: string | undefined): number {
  if (value === undefined) {
    throw new UsageError("--id is required: an object id from summary, top or diff");
  }
  const id = Number(value.replace(/^@/, ""));
  if (!Number.isInteger(id) || id < 0) {
    throw new UsageError(`--id takes an object id, not "${value}"`);
  }
  return id;
}

/** `heapler refs`: who holds an object, as Pympler's referrer tree. */
export const refsCommand: Command = {
  name: "refs",
  summary: "Print the tree of what holds an object of a .heapsnapshot file",
  usage: `Usage: heapler refs <file.heapsnapshot> --id N [--depth 10] [--internals] [--json]

Prints the referrers of the object with id N (from summary, top, diff or leaks), their
referrers, and so on, as Pympler's RefBrowser tree; each line names the holder and the edge
that holds the child (.cache, [3], context x). The program's strong holders come first, nearest
the root, and a branch ends at its named holder: a variable of a module (with the module's
file) or a property of the global object.

Options:
  --id N         The object id (@N is fine too)
  --depth N      Levels of referrers (default 10; 3 with --internals)
  --internals    Every referrer: the engine's code, shapes, storage and weak holders too
  --json         Print the tree as JSON
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        id: { type: "string" },
        depth: { type: "string" },
        json: { type: "boolean" },
        internals: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    const [path] = positional(positionals, 1, "one snapshot file");
    const id = idOption(values.id);
    const internals = values.internals ?? false;
    const maxdepth = intOption(values.depth, "depth", internals ? 3 : 10);
    const snapshot = await load(path!, io);
    const ordinal = snapshot.ordinalOf(id);
    if (ordinal < 0) throw new Error(`No object with id ${id} in ${path}`);
    const tree = referrerTree(snapshot, ordinal, {
      maxdepth,
      internals,
    });
    if (values.json) {
      io.stdout.write(JSON.stringify(tree, null, 2) + "\n");
      return 0;
    }
    io.stdout.write(formatTree(tree, { maxdepth }).map(escapeTerminal).join("\n") + "\n");
    return 0;
  },
};

/** `heapler graph`: the neighbourhood of an object, drawn. */
export const graphCommand: Command = {
  name: "graph",
  summary: "Draw the references around an object of a .heapsnapshot file (SVG, PostScript, DOT)",
  usage:
    `Usage: heapler graph <file.heapsnapshot> --id N [--depth 2] [--internals] -o out.svg|.ps|.eps|.json|.dot|--json

Draws the object with id N and what it references within --depth steps, with Graphviz compiled
to WebAssembly (no system dot needed; the layout engine is chosen by the graph's size): the
program's objects, functions and strings, a Map's or an array's entries drawn from it.

Options:
  --id N           The object id
  --depth N        Steps from the object (default 2)
  --internals      Draw the engine's structures too: code, shapes, storage arrays, weak links
  -o, --output F   The file; its extension picks the format
  --json           Print the graph's nodes and edges as JSON instead (no -o needed)
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        id: { type: "string" },
        depth: { type: "string" },
        output: { type: "string", short: "o" },
        json: { type: "boolean" },
        internals: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    const [path] = positional(positionals, 1, "one snapshot file");
    const id = idOption(values.id);
    if (values.output === undefined && !values.json) {
      throw new UsageError("-o is required: where to write the drawing (or --json)");
    }
    const snapshot = await load(path!, io);
    if (snapshot.ordinalOf(id) < 0) throw new Error(`No object with id ${id} in ${path}`);
    const graph = ReferenceGraph.fromSnapshot(snapshot, [id], {
      depth: intOption(values.depth, "depth", 2),
      internals: values.internals ?? false,
    });
    if (values.json) return writeJson(io, { nodes: graph.nodes, edges: graph.edges });
    await writeDrawing(graph, values.output!, io);
    io.stdout.write(
      `Wrote ${values.output} (${graph.nodes.length} objects, ${graph.edges.length} references)\n`,
    );
    return 0;
  },
};

/** `heapler garbage`: what was freed between two snapshots, and the cycles among it. */
export const garbageCommand: Command = {
  name: "garbage",
  summary: "Show what was freed between two .heapsnapshot files, and draw its cycles",
  usage:
    `Usage: heapler garbage <before.heapsnapshot> <after.heapsnapshot> [--reduce] [--live] [-o g.svg] [--json]

Lists the objects of the first snapshot that the second no longer has (by object id: snapshots
of one Node, Deno or Chrome process), with Pympler's garbage table, and draws the references
among them. --reduce keeps only objects on cycles; --live shows instead the cycles among
objects new in the second snapshot that are still alive (leak suspects).

Options:
  --reduce         Only objects on reference cycles
  --live           New live cycles instead of freed objects
  -o, --output F   Also draw the graph (.svg, .ps, .eps, .json, .dot)
  --json           Print the objects and the graph's nodes and edges as JSON
  -h, --help`,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        reduce: { type: "boolean" },
        live: { type: "boolean" },
        output: { type: "string", short: "o" },
        json: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    const [beforePath, afterPath] = positional(positionals, 2, "two snapshot files");
    const before = await load(beforePath!, io);
    const after = await load(afterPath!, io);
    const garbage = GarbageGraph.compare(before, after, {
      reduce: values.reduce ?? false,
      collectable: !values.live,
    });
    if (values.json) {
      if (values.output !== undefined) await writeDrawing(garbage.graph, values.output, io);
      const { collectable, count, inCycles, objects, graph } = garbage;
      return writeJson(io, {
        collectable,
        count,
        inCycles,
        objects,
        graph: { nodes: graph.nodes, edges: graph.edges },
      });
    }
    let table = "";
    garbage.printStats({ stream: { write: (text: string) => void (table += text) } });
    io.stdout.write(table.split("\n").map(escapeTerminal).join("\n"));
    if (values.output !== undefined) {
      const drawn = await writeDrawing(garbage.graph, values.output, io);
      io.stdout.write(drawn ? `Wrote ${values.output}\n` : "Nothing to draw\n");
    }
    return 0;
  },
};
