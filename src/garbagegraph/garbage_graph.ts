import { diffById, type HeapObject, type HeapSnapshot, UnstableIdsError } from "../heap/mod.ts";
import { heaplerHolder, selectedNodes, snapshotProgram } from "../heap/internal.ts";
import { pp, trunc } from "../format/mod.ts";
import { stdout } from "../runtime/internal.ts";
import { type TextStream } from "../runtime/mod.ts";
import { ReferenceGraph } from "../refgraph/mod.ts";
import { snapshotEdgesAmong, snapshotNode } from "../refgraph/internal.ts";

const BASELINE_KEY = "garbageBaseline";

/**
 * Takes the baseline snapshot that {@linkcode GarbageGraph.take} compares with. It is held by
 * heapler's holder, so it never shows up as the program's.
 *
 * Pympler's order (start, run code that makes and drops cycles, take) finds nothing freed in
 * JavaScript: an engine frees what a program drops without a trace, and only objects that were in
 * the baseline can be seen gone. So call it after making the objects and before dropping them; or,
 * in Pympler's order, take with `collectable: false` to see the cycles the code made that are still
 * alive. An empty collectable graph says so in its {@linkcode GarbageGraph.explanation}.
 *
 * @throws {UnstableIdsError} At once where snapshots cannot tell one object across two (Bun).
 *
 * @example
 * ```ts
 * import { endDebugGarbage, startDebugGarbage } from "heapler/garbagegraph";
 * await startDebugGarbage();
 * endDebugGarbage();
 * ```
 */
export async function startDebugGarbage(): Promise<void> {
  const baseline = await snapshotProgram();
  if (!baseline.stableIds) throw new UnstableIdsError("tell freed objects by id");
  heaplerHolder()[BASELINE_KEY] = baseline;
}

/** Drops the baseline snapshot. */
export function endDebugGarbage(): void {
  delete heaplerHolder()[BASELINE_KEY];
}

/** Why a graph of freed objects can be empty though the program dropped cycles. */
const NOTHING_FREED =
  "Nothing shown: nothing that existed at the baseline was freed. JavaScript engines free what a program " +
  "makes and drops without a trace, so only objects already alive at startDebugGarbage() can " +
  "be seen gone: start after making the objects and before dropping them, or take with " +
  "collectable: false to see the cycles made since the baseline that are still alive.";

/** Options of {@linkcode GarbageGraph.take}. */
export interface GarbageGraphOptions {
  /** Keep only the objects on reference cycles. @default false */
  reduce?: boolean;
  /**
   * True: the objects freed since the baseline. False: the cycles among objects allocated since
   * the baseline that are still alive. @default true
   */
  collectable?: boolean;
}

/** One object of a garbage graph, with Pympler's representation for {@linkcode GarbageGraph.printStats}. */
export interface GarbageObject extends HeapObject {
  /** A string's text (quoted), or the class and id: `Response @1234`. */
  representation: string;
}

/** A reference graph of garbage (see the module documentation). */
export class GarbageGraph {
  /** The drawable graph: render it, split it, write its DOT. */
  readonly graph: ReferenceGraph;
  /** The objects, largest first. */
  readonly objects: readonly GarbageObject[];
  /** How many objects there were before `reduce`. */
  readonly count: number;
  /** How many of them lie on cycles. */
  readonly inCycles: number;
  /** Whether the graph shows freed objects (true) or live new ones (false). */
  readonly collectable: boolean;
  /**
   * Why a graph of freed objects is empty, when it is: what the engine lets heapler see. Printed
   * by {@linkcode GarbageGraph.printStats}; undefined for a graph with objects, or of live ones.
   */
  readonly explanation: string | undefined;

  private constructor(parts: {
    graph: ReferenceGraph;
    objects: GarbageObject[];
    count: number;
    inCycles: number;
    collectable: boolean;
  }) {
    this.graph = parts.graph;
    this.objects = parts.objects;
    this.count = parts.count;
    this.inCycles = parts.inCycles;
    this.collectable = parts.collectable;
    this.explanation = parts.collectable && parts.objects.length === 0 ? NOTHING_FREED : undefined;
  }

  /**
   * Takes a snapshot now and compares it with the baseline of {@linkcode startDebugGarbage}.
   *
   * @param options `reduce` and `collectable`.
   * @returns The graph.
   * @throws {Error} Without a baseline; {@linkcode UnstableIdsError} on Bun.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { endDebugGarbage, GarbageGraph, startDebugGarbage } from "heapler/garbagegraph";
   * class Node {
   *   other: Node | undefined;
   * }
   * const makePair = () => {
   *   const [a, b] = [new Node(), new Node()];
   *   [a.other, b.other] = [b, a];
   *   return [a, b];
   * };
   * let pair: Node[] | undefined = makePair();
   * await startDebugGarbage(); // the objects exist: the baseline sees them
   * pair = undefined; // dropped
   * const garbage = await GarbageGraph.take({ reduce: true });
   * garbage.printStats();
   * endDebugGarbage();
   * assert(garbage.inCycles >= 2);
   * ```
   */
  static async take(options: GarbageGraphOptions = {}): Promise<GarbageGraph> {
    if (!(BASELINE_KEY in heaplerHolder())) {
      throw new Error("Cannot draw garbage: call startDebugGarbage() first, to take the baseline");
    }
    const now = await snapshotProgram();
    return GarbageGraph.compare(heaplerHolder()[BASELINE_KEY] as HeapSnapshot, now, options);
  }

  /**
   * Compares two snapshots of one process (files, for instance): what was freed between them,
   * or with `collectable: false` the new cycles still alive.
   *
   * @param baseline The earlier snapshot.
   * @param now The later one.
   * @param options `reduce` and `collectable`.
   * @returns The graph.
   * @throws {UnstableIdsError} For snapshots without stable ids (Bun).
   */
  static compare(
    baseline: HeapSnapshot,
    now: HeapSnapshot,
    options: GarbageGraphOptions = {},
  ): GarbageGraph {
    const { reduce = false, collectable = true } = options;
    if (!baseline.stableIds || !now.stableIds) {
      throw new UnstableIdsError("tell freed objects by id");
    }
    const diff = diffById(baseline, now);
    // Freed objects are drawn from the baseline, new live ones from now.
    const source = collectable ? baseline : now;
    const candidates = collectable ? diff.removed : diff.added;
    // Freed objects were often garbage already in the baseline: the root need not reach them.
    const counted = selectedNodes(source, { programOnly: true, unreachable: collectable });
    const members = [...candidates].filter((node) => counted[node] === 1);
    const whole = ReferenceGraph.fromParts(
      members.map((node) => snapshotNode(source, node)),
      snapshotEdgesAmong(source, members),
    );
    const onCycles = whole.onCycles();
    const inCycles = onCycles.reduce((sum, mark) => sum + mark, 0);
    const keep = members.map((_, i) => i).filter((i) =>
      (reduce || !collectable) ? onCycles[i] === 1 : true
    );
    const described = members.map((node) => describe(source, node));
    const objects = keep.map((i) => described[i]!).sort((a, b) => b.selfSize - a.selfSize);
    const graph = whole.subgraph(keep);
    return new GarbageGraph({ graph, objects, count: members.length, inCycles, collectable });
  }

  /**
   * Prints Pympler's table: id, size, type and representation of each object, largest first,
   * then the total.
   *
   * @param options Where to print.
   */
  printStats(options: { stream?: TextStream } = {}): void {
    const stream = options.stream ?? stdout;
    const lines = [
      `${"id".padEnd(14)} ${"size".padStart(8)} ${"type".padEnd(12)} ${
        "representation".padEnd(46)
      }`,
    ];
    for (const object of this.objects) {
      lines.push(
        `${("@" + object.id).padEnd(14)} ${String(object.selfSize).padStart(8)} ${
          trunc(object.className, 12).padEnd(12)
        } ${trunc(object.representation, 46).padEnd(46)}`,
      );
    }
    const total = this.objects.reduce((sum, object) => sum + object.selfSize, 0);
    const what = this.collectable ? "collected objects" : "new live objects";
    lines.push(
      `Garbage: ${String(this.objects.length).padStart(8)} ${what} (${this.inCycles} in cycles): ${
        pp(total).padStart(12)
      }`,
    );
    if (this.explanation !== undefined) lines.push(this.explanation);
    stream.write(lines.map((line) => line.trimEnd()).join("\n") + "\n");
  }
}

function describe(snapshot: HeapSnapshot, node: number): GarbageObject {
  const object = snapshot.node(node).toObject();
  const representation = object.type.endsWith("string")
    ? JSON.stringify(object.name)
    : `${object.className} @${object.id}`;
  return { ...object, representation };
}
