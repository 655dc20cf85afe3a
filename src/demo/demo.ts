import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { endDebugGarbage, GarbageGraph, startDebugGarbage } from "../garbagegraph/mod.ts";
import { ReferenceGraph } from "../refgraph/mod.ts";
import { ClassTracker, HtmlStats } from "../classtracker/mod.ts";
import { ppShort } from "../format/mod.ts";
import type { HeapSnapshot } from "../heap/mod.ts";
import { heaplerOwned, programRetainingPath, snapshotProgram } from "../heap/internal.ts";
import { SummaryTracker } from "../tracker/mod.ts";
import { format, growingInEvery, type SummaryRow } from "../summary/mod.ts";
import { formatTree, referrerTree } from "../refbrowser/mod.ts";
import type { TextStream } from "../runtime/mod.ts";
import { LeakyServer, RequestContext, Response } from "./leaky_app.ts";

/** Options of {@linkcode runDemo}. */
export interface DemoOptions {
  /** Where the report files go. @default "heapler-demo" */
  out?: string;
  /** Where the walkthrough prints. */
  stdout: TextStream;
  /** Where the progress bar draws, when it is a terminal. */
  stderr: TextStream & { isTTY?: boolean };
  /** Leave the server leaking and return it with the tracker, for the web front end. @default false */
  keep?: boolean;
}

/** What the demo found and wrote. */
export interface DemoResult {
  /** The types that grew in every round of requests and not with health checks. */
  leaking: string[];
  /** The files written, in order. */
  files: string[];
  /** With `keep`: the server, still leaking, and the class tracker watching it. */
  live?: { server: LeakyServer; tracker: ClassTracker };
}

const REQUESTS_PER_ROUND = 200;
const ROUNDS = 3;
/** Levels of referrers shown: enough to reach the event bus from a request's context. */
const TREE_DEPTH = 7;

/**
 * Runs the built-in leaky server and investigates it, printing each step and writing the
 * reference graph of the leak's path (SVG), a garbage graph (SVG, where snapshot ids are
 * stable), the ClassTracker report (HTML) and its dump (JSON).
 *
 * @param options Output directory and streams.
 * @returns The leaking types and the files written.
 *
 * @example
 * ```ts ignore
 * import { runDemo } from "./demo.ts";
 * await runDemo({ out: "heapler-demo", stdout: process.stdout, stderr: process.stderr });
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const out = options.out ?? "heapler-demo";
  const progress = progressBar(options.stderr);
  const print = (text = "") => {
    progress.done();
    options.stdout.write(text + "\n");
  };
  await mkdir(out, { recursive: true });
  const files: string[] = [];
  const server = new LeakyServer();

  print("heapler demo: a server whose requests subscribe to an event bus and never unsubscribe,");
  print("investigated as in Pympler's leak tutorial.");
  print();
  for (let i = 0; i < 50; i++) server.healthCheck(); // compile the code paths before counting
  server.flushRecent();
  progress.step("first summary");
  const summaries = new SummaryTracker({ onProgress: progress.onProgress });
  const classes = new ClassTracker({ stream: options.stdout, onProgress: progress.onProgress });
  classes.trackClass(RequestContext, { discover: true });
  classes.trackClass(Response, { discover: true });
  await summaries.diff();
  progress.step("class snapshot");
  await classes.createSnapshot("start");

  print("1. Is there a leak? SummaryTracker: what grew since the last look");
  print();
  const grown: SummaryRow[][] = [];
  let request = 1;
  for (let round = 1; round <= ROUNDS; round++) {
    for (let i = 0; i < REQUESTS_PER_ROUND; i++) server.handle(request++);
    progress.step(`summary after round ${round}`);
    const diff = await summaries.diff();
    grown.push(diff);
    print(`Round ${round}: ${REQUESTS_PER_ROUND} requests`);
    printDiff(diff, print);
    progress.step(`class snapshot after round ${round}`);
    await classes.createSnapshot(`after round ${round}`);
  }
  for (let i = 0; i < REQUESTS_PER_ROUND; i++) server.healthCheck();
  progress.step("summary after health checks");
  const idle = await summaries.diff();
  print(`Then ${REQUESTS_PER_ROUND} health checks, which unsubscribe:`);
  printDiff(idle, print);
  progress.step("class snapshot after health checks");
  await classes.createSnapshot("after health checks");
  const leaking = typesGrowingEveryRound(grown, idle);
  print(
    leaking.length > 0
      ? `Grew in every round of requests, and not with health checks: ${leaking.join(", ")}.`
      : "Nothing grew in every round: no leak found.",
  );
  print();

  print("2. What leaks? ClassTracker: instances of the suspect classes at each snapshot");
  print();
  const stats = classes.stats;
  stats.printSummary();
  const last = stats.annotateSnapshot(classes.snapshots.at(-1)!).get("RequestContext");
  print(
    `${last?.active ?? 0} RequestContext objects are alive after ${
      request - 1
    } requests: every request's context is kept.`,
  );
  print();

  print("3. Where does it leak? The referrer tree of one leaked RequestContext");
  print();
  // The oldest RequestContext in a fresh snapshot: found by class, so that no reference of the
  // demo's own stands beside the program's.
  progress.step("snapshot for the referrer tree");
  const snapshot = await snapshotProgram({ onProgress: progress.onProgress });
  progress.done();
  const ordinal = oldestInstance(snapshot, "RequestContext", (url) => !url.includes("/health"));
  if (ordinal < 0) throw new Error("No RequestContext is alive: the server did not leak");
  const tree = referrerTree(snapshot, ordinal, {
    maxdepth: TREE_DEPTH,
    repeat: false,
    maxChildren: 3,
  });
  print(formatTree(tree, { maxdepth: TREE_DEPTH }).join("\n"));
  print();
  const path = programRetainingPath(snapshot, ordinal);
  print("The path that keeps it alive, from a GC root:");
  print(`  (root) ${path.map((edge) => `${edge.label} → ${edge.target.className}`).join(" ")}`);
  print();

  const pathFile = join(out, "leak-path.svg");
  const pathIds = path.map((edge) => edge.target.id);
  await ReferenceGraph.fromSnapshot(snapshot, pathIds, { depth: 0, internals: true }).render(
    pathFile,
  );
  files.push(pathFile);
  if (snapshot.stableIds) {
    progress.step("baseline for the garbage graph");
    await startDebugGarbage();
    server.flushRecent();
    progress.step("garbage snapshot");
    const garbage = await GarbageGraph.take({ reduce: true });
    endDebugGarbage();
    // Only the server's cycles (context ↔ response): whatever else the process freed meanwhile
    // is not the demo's.
    const { nodes } = garbage.graph;
    const ours = nodes.flatMap((node, i) =>
      node.className === "RequestContext" || node.className === "Response" ? [i] : []
    );
    const drawn = garbage.graph.subgraph(ours);
    const garbageFile = join(out, "garbage.svg");
    if (await drawn.render(garbageFile)) files.push(garbageFile);
    print(
      `Garbage: letting the status page's recent health checks go freed ${
        drawn.nodes.length / 2
      } context ↔ response cycles (${drawn.nodes.length} objects).`,
    );
  } else {
    print("Garbage graph: not drawn, as this runtime's snapshot ids change every time (Bun).");
  }
  const htmlFile = join(out, "classtracker.html");
  await new HtmlStats({ tracker: classes }).createHtml(htmlFile, {
    title: "heapler demo: the leaky server's classes",
  });
  files.push(htmlFile);
  const dumpFile = join(out, "classtracker.json");
  await stats.dumpStats(dumpFile);
  files.push(dumpFile);
  print();
  print("Written:");
  for (const file of files) print(`  ${file}`);
  print(`(heapler stats ${dumpFile} prints the ClassTracker dump again.)`);
  if (options.keep) return { leaking, files, live: { server, tracker: classes } };
  server.clearListeners(); // the demo's leak ends with the demo
  return { leaking, files };
}

/**
 * The program's instance of a class with the lowest id (the oldest) whose `url` passes a test,
 * or -1.
 */
function oldestInstance(
  snapshot: HeapSnapshot,
  className: string,
  urlTest: (url: string) => boolean,
): number {
  const owned = heaplerOwned(snapshot);
  let oldest = -1;
  for (let ordinal = 0; ordinal < snapshot.nodeCount; ordinal++) {
    if (owned[ordinal] === 1 || snapshot.typeOf(ordinal) !== "object") continue;
    if (snapshot.classNameOf(ordinal) !== className || isPrototype(snapshot, ordinal)) continue;
    const url = snapshot.node(ordinal).edges().find((edge) => edge.name === "url")?.target.name;
    if (url === undefined || !urlTest(url)) continue;
    if (oldest < 0 || snapshot.idOf(ordinal) < snapshot.idOf(oldest)) oldest = ordinal;
  }
  return oldest;
}

/** Whether a node is a function's `prototype` object (named after its class, like instances). */
function isPrototype(snapshot: HeapSnapshot, ordinal: number): boolean {
  const { firstRetainer, retainerEdge, retainerNode } = snapshot.retainers;
  for (let r = firstRetainer[ordinal]!; r < firstRetainer[ordinal + 1]!; r++) {
    if (
      snapshot.edgeNameOf(retainerEdge[r]!) === "prototype" &&
      snapshot.typeOf(retainerNode[r]!) === "closure"
    ) return true;
  }
  return false;
}

/** Prints a summary diff as Pympler's table (its eight largest rows), or says nothing changed. */
function printDiff(rows: readonly SummaryRow[], print: (text?: string) => void): void {
  if (rows.length === 0) print("  (nothing grew or shrank)");
  else for (const line of format(rows, { limit: 8 })) print(`  ${line}`);
  if (rows.length > 8) print(`  ... and ${rows.length - 8} more types`);
  print();
}

/**
 * The types whose count grew in every round of requests, and by less than a quarter of that
 * when nothing leaked (a collector that scans the stack conservatively, as Bun's, keeps a few
 * objects of an idle round alive).
 */
function typesGrowingEveryRound(rounds: SummaryRow[][], idle: SummaryRow[]): string[] {
  const idleGrowth = new Map(idle.map(([type, count]) => [type, count]));
  return growingInEvery(rounds).filter(([type, least]) => (idleGrowth.get(type) ?? 0) < least / 4)
    .map(([type]) => type).sort();
}

/** A one-line progress display on a terminal: the step and the snapshot bytes parsed. */
function progressBar(stream: TextStream & { isTTY?: boolean }): {
  step(label: string): void;
  onProgress(bytesRead: number): void;
  done(): void;
} {
  let label = "";
  let drawn = 0;
  const draw = (text: string) => stream.write(`\r\u001b[2K${text}`);
  if (stream.isTTY !== true) {
    return { step: () => {}, onProgress: () => {}, done: () => {} };
  }
  return {
    step(next) {
      label = next;
      draw(`heapler: ${label}: taking a heap snapshot...`);
    },
    onProgress(bytesRead) {
      const now = Date.now();
      if (now - drawn < 80) return;
      drawn = now;
      const blocks = Math.min(20, Math.floor(bytesRead / (2 * 1024 * 1024)));
      draw(`heapler: ${label}: parsing [${"#".repeat(blocks).padEnd(20)}] ${ppShort(bytesRead)}`);
    },
    done() {
      if (label !== "") draw("");
      label = "";
    },
  };
}
