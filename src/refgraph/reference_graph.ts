import { HeapEdge, type HeapSnapshot } from "../heap/mod.ts";
import { isProgramObject, storageOwner } from "../heap/internal.ts";
import { writeFileAtomic } from "../runtime/internal.ts";
import { className, describeKey, isObjectLike, referents } from "../reflect/mod.ts";
import {
  type CompactGraph,
  graphFromEdges,
  nodesOnCycles,
  weaklyConnectedComponents,
} from "../graph/mod.ts";
import {
  type DotNode,
  render,
  RENDER_NODE_LIMIT,
  type RenderOptions,
  svgGrid,
  toDot,
} from "../dot/mod.ts";

/** One node of a reference graph: a live value, or an object of a snapshot. */
export interface GraphNode {
  /** The object id, for a snapshot's object; undefined for a live value. */
  id: number | undefined;
  /** Its class as DevTools names it (`Object`, `Map`, `RequestContext`), or its type. */
  className: string;
  /** How it reads: a string's text (quoted), a value's description, or its class. */
  text: string;
  /** What it is, which picks its colour: `object`, `array`, `map`, `closure`, `string`, `instance`, `native`. */
  kind: string;
}

/** One reference of a reference graph, between positions in its nodes. */
export interface GraphEdge {
  from: number;
  to: number;
  /** How `from` holds `to`: `.cache`, `[3]`, `[K] key`, `context x`. */
  name: string;
}

/** Options of {@linkcode ReferenceGraph}. */
export interface ReferenceGraphOptions {
  /** Keep only the values that lie on a reference cycle. @default false */
  reduce?: boolean;
}

/**
 * A graph of references among values: nodes are the given values, edges the references found
 * among them, named by property, index (`[3]`), or `[K] key` / `[V] key` for Map entries.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ReferenceGraph } from "heapler/refgraph";
 * const b = { name: "b" };
 * const graph = new ReferenceGraph([{ a: 1 }, b, { k: b }, [1, 2, 3]]);
 * assert(graph.split().length === 3 && graph.edges.length === 1);
 * ```
 */
export class ReferenceGraph {
  /** The nodes, in the order given. */
  readonly nodes: readonly GraphNode[];
  /** The edges, as positions in `nodes`. */
  readonly edges: readonly GraphEdge[];

  /**
   * @param values The values to draw (duplicates are drawn once).
   * @param options `reduce` keeps only values on cycles.
   */
  constructor(values: Iterable<unknown>, options: ReferenceGraphOptions = {}) {
    const distinct: unknown[] = [];
    const position = new Map<unknown, number>();
    for (const value of values) {
      if (position.has(value)) continue;
      position.set(value, distinct.length);
      distinct.push(value);
    }
    const edges: GraphEdge[] = [];
    distinct.forEach((value, from) => {
      if (!isObjectLike(value)) return;
      for (const referent of referents(value)) {
        const to = position.get(referent.value);
        if (to !== undefined) edges.push({ from, to, name: referent.name });
      }
    });
    const nodes = distinct.map((value): GraphNode => ({
      id: undefined,
      className: isObjectLike(value) ? className(value) : typeof value,
      text: typeof value === "string" ? JSON.stringify(value) : describeKey(value),
      kind: kind(value),
    }));
    const whole = ReferenceGraph.fromParts(nodes, edges);
    const kept = options.reduce ? whole.reduced() : whole;
    this.nodes = kept.nodes;
    this.edges = kept.edges;
  }

  /**
   * The neighbourhood of snapshot nodes: everything within `depth` references of them. By
   * default the program's references only (see {@linkcode programReferences}); `internals` draws
   * the engine's structures too (code, shapes, storage arrays, weak references).
   *
   * @param snapshot The snapshot.
   * @param ids Object ids of the starting nodes.
   * @param options `depth` (default 2), `maxNodes` (default 500), `reduce` and `internals`.
   * @returns The graph.
   */
  static fromSnapshot(
    snapshot: HeapSnapshot,
    ids: readonly number[],
    options: ReferenceGraphOptions & { depth?: number; maxNodes?: number; internals?: boolean } =
      {},
  ): ReferenceGraph {
    const { depth = 2, maxNodes = 500, internals = false } = options;
    const references = (ordinal: number) =>
      internals ? allReferences(snapshot, ordinal) : programReferences(snapshot, ordinal);
    const position = new Map<number, number>();
    const order: number[] = [];
    let frontier = ids.map((id) => snapshot.ordinalOf(id)).filter((ordinal) => ordinal >= 0);
    for (const ordinal of frontier) {
      if (!position.has(ordinal)) position.set(ordinal, order.push(ordinal) - 1);
    }
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      const next: number[] = [];
      for (const ordinal of frontier) {
        for (const { to } of references(ordinal)) {
          if (position.has(to) || order.length >= maxNodes) continue;
          position.set(to, order.push(to) - 1);
          next.push(to);
        }
      }
      frontier = next;
    }
    const edges: GraphEdge[] = [];
    order.forEach((ordinal, from) => {
      for (const { to, name } of references(ordinal)) {
        const at = position.get(to);
        if (at !== undefined) edges.push({ from, to: at, name });
      }
    });
    const whole = ReferenceGraph.fromParts(
      order.map((ordinal) => snapshotNode(snapshot, ordinal)),
      edges,
    );
    return options.reduce ? whole.reduced() : whole;
  }

  /**
   * A graph of nodes and edges found elsewhere (snapshot neighbourhoods, garbage).
   *
   * @param nodes The nodes.
   * @param edges The edges, as positions in `nodes`.
   * @returns The graph.
   */
  static fromParts(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): ReferenceGraph {
    return Object.assign(Object.create(ReferenceGraph.prototype) as ReferenceGraph, {
      nodes,
      edges,
    });
  }

  /**
   * One graph per weakly connected component, largest first (Pympler's `split`).
   *
   * @returns The components.
   */
  split(): ReferenceGraph[] {
    const { component, sizes } = weaklyConnectedComponents(compact(this));
    // One pass over nodes and one over edges: a graph of many small components stays linear.
    const nodes: GraphNode[][] = sizes.map(() => []);
    const position = new Int32Array(this.nodes.length);
    this.nodes.forEach((node, n) => position[n] = nodes[component[n]!]!.push(node) - 1);
    const edges: GraphEdge[][] = sizes.map(() => []);
    for (const edge of this.edges) {
      edges[component[edge.from]!]!.push({
        from: position[edge.from]!,
        to: position[edge.to]!,
        name: edge.name,
      });
    }
    return nodes.map((members, id) => ReferenceGraph.fromParts(members, edges[id]!));
  }

  /**
   * Which nodes lie on a reference cycle.
   *
   * @returns One byte per node, 1 on a cycle.
   */
  onCycles(): Uint8Array {
    return nodesOnCycles(compact(this));
  }

  /**
   * The graph of the nodes that lie on a cycle (Pympler's `reduce`).
   *
   * @returns The smaller graph.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReferenceGraph } from "heapler/refgraph";
   * const a: { other?: object } = {}, b = { other: a };
   * a.other = b;
   * assert.equal(new ReferenceGraph([a, b, { lone: a }]).reduced().nodes.length, 2);
   * ```
   */
  reduced(): ReferenceGraph {
    const marks = this.onCycles();
    return this.subgraph(this.nodes.map((_, n) => n).filter((n) => marks[n] === 1));
  }

  /**
   * The part of the graph made of some of its nodes and the edges among them.
   *
   * @param members Positions of the nodes to keep, in the order wanted.
   * @returns The smaller graph.
   */
  subgraph(members: readonly number[]): ReferenceGraph {
    const index = new Map(members.map((node, i) => [node, i]));
    return ReferenceGraph.fromParts(
      members.map((node) => this.nodes[node]!),
      this.edges.filter((edge) => index.has(edge.from) && index.has(edge.to)).map((edge) => ({
        from: index.get(edge.from)!,
        to: index.get(edge.to)!,
        name: edge.name,
      })),
    );
  }

  /**
   * The graph cut to at most `maxNodes` nodes, for drawing: the nodes reached first breadth-first
   * (over edges either way) from the first node, then from the next one not reached, and the
   * edges among them.
   *
   * @param maxNodes The most nodes kept. @default RENDER_NODE_LIMIT (1,000)
   * @returns The graph, and how many nodes were left out.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ReferenceGraph } from "heapler/refgraph";
   * const chain = Array.from({ length: 10 }, (_, i) => ({ i, next: null as unknown }));
   * chain.forEach((node, i) => node.next = chain[i + 1] ?? null);
   * const { graph, omitted } = new ReferenceGraph(chain).limited(4);
   * assert(graph.nodes.length === 4 && omitted === 6 && graph.edges.length === 3);
   * ```
   */
  limited(maxNodes: number = RENDER_NODE_LIMIT): { graph: ReferenceGraph; omitted: number } {
    const count = this.nodes.length;
    if (count <= maxNodes) return { graph: this, omitted: 0 };
    const neighbours: number[][] = Array.from({ length: count }, () => []);
    for (const { from, to } of this.edges) {
      neighbours[from]!.push(to);
      neighbours[to]!.push(from);
    }
    const position = new Int32Array(count).fill(-1);
    const order: number[] = [];
    for (let start = 0; start < count && order.length < maxNodes; start++) {
      if (position[start] !== -1) continue;
      position[start] = order.push(start) - 1;
      for (let next = order.length - 1; next < order.length && order.length < maxNodes; next++) {
        for (const neighbour of neighbours[order[next]!]!) {
          if (position[neighbour] !== -1 || order.length >= maxNodes) continue;
          position[neighbour] = order.push(neighbour) - 1;
        }
      }
    }
    const edges = this.edges.filter(({ from, to }) => position[from] !== -1 && position[to] !== -1)
      .map((edge) => ({ ...edge, from: position[edge.from]!, to: position[edge.to]! }));
    const nodes = order.map((index) => this.nodes[index]!);
    return { graph: ReferenceGraph.fromParts(nodes, edges), omitted: count - nodes.length };
  }

  /**
   * The graph in DOT (Pympler's layout, labels clipped to 48 characters and escaped): each node
   * labelled by its text over its class (a live value) or its id (a snapshot's object).
   */
  toDot(): string {
    const nodes = this.nodes.map((node, n): DotNode => ({
      id: `X${node.id ?? n}`,
      label: `${node.text}\n${node.id === undefined ? node.className : `@${node.id}`}`,
      kind: node.kind,
    }));
    return toDot(nodes, this.edges.map(({ from, to, name }) => ({ from, to, label: name })));
  }

  /**
   * Writes the DOT text to a file, atomically.
   *
   * @param path The file.
   */
  async writeGraph(path: string): Promise<void> {
    await writeFileAtomic(path, this.toDot());
  }

  /**
   * Renders the graph with Graphviz (WebAssembly) and writes it, atomically. A graph of more than
   * {@linkcode RENDER_NODE_LIMIT} nodes is drawn {@linkcode ReferenceGraph.limited}: its first
   * 1,000 nodes (`writeGraph` writes all of it as DOT).
   *
   * @param path The file.
   * @param options Format (default `svg`), engine (chosen by size unless given), unflatten.
   * @returns False when there is nothing to draw (Pympler's rule), else true.
   */
  async render(path: string, options: RenderOptions = {}): Promise<boolean> {
    if (this.nodes.length === 0) return false;
    const { format = "svg", ...layout } = options;
    const output = format === "svg"
      ? await this.toSvg(layout)
      : (await render(this.limited().graph.toDot(), options)).output;
    await writeFileAtomic(path, output);
    return true;
  }

  /**
   * Draws the graph as SVG, cut as {@linkcode ReferenceGraph.render} cuts it: each weakly
   * connected component laid out on its own, the drawings placed in rows (see `svgGrid`), so
   * that thirty cycles make a block, not a line thirty drawings wide.
   *
   * @param options Engine (chosen by each component's size unless given), unflatten.
   * @returns The SVG document.
   */
  async toSvg(options: Omit<RenderOptions, "format"> = {}): Promise<string> {
    const parts = this.limited().graph.split();
    const drawings: string[] = [];
    for (const part of parts) drawings.push((await render(part.toDot(), options)).output);
    return drawings.length === 1 ? drawings[0]! : svgGrid(drawings);
  }
}

/**
 * The edges of a snapshot among some of its nodes, as positions in `ordinals`, labelled as a
 * reader writes them (`.cache`, `[3]`).
 *
 * @param snapshot The snapshot.
 * @param ordinals The nodes.
 * @returns The edges.
 */
export function snapshotEdgesAmong(
  snapshot: HeapSnapshot,
  ordinals: readonly number[],
): GraphEdge[] {
  const position = new Map(ordinals.map((ordinal, i) => [ordinal, i]));
  const edges: GraphEdge[] = [];
  ordinals.forEach((ordinal, from) => {
    for (let e = snapshot.firstEdge[ordinal]!; e < snapshot.firstEdge[ordinal + 1]!; e++) {
      const to = position.get(snapshot.edgeTargetOf(e));
      if (to !== undefined) {
        edges.push({ from, to, name: new HeapEdge(snapshot, e, ordinal).label });
      }
    }
  });
  return edges;
}

/** A reference of a snapshot node: the target and the edge's label. */
interface Reference {
  to: number;
  name: string;
}

/** Every reference of a node but those to the engine's hidden internals. */
function allReferences(snapshot: HeapSnapshot, ordinal: number): Reference[] {
  const found: Reference[] = [];
  for (let e = snapshot.firstEdge[ordinal]!; e < snapshot.firstEdge[ordinal + 1]!; e++) {
    const to = snapshot.edgeTargetOf(e);
    if (snapshot.typeOf(to) !== "hidden") {
      found.push({ to, name: new HeapEdge(snapshot, e, ordinal).label });
    }
  }
  return found;
}

/**
 * The references of a node as the program sees them: strong edges to the program's objects,
 * functions and strings, through the stores the node owns (a Map's entries as `table[3]`), without
 * prototype links (every object has one).
 */
function programReferences(snapshot: HeapSnapshot, ordinal: number): Reference[] {
  const found: Reference[] = [];
  const seen = new Set<number>();
  const add = (to: number, name: string) => {
    if (seen.has(to) || !isProgramObject(snapshot, to)) return;
    seen.add(to);
    found.push({ to, name });
  };
  const edges = (node: number, each: (edge: HeapEdge, to: number) => void) => {
    for (let e = snapshot.firstEdge[node]!; e < snapshot.firstEdge[node + 1]!; e++) {
      const edge = new HeapEdge(snapshot, e, node);
      if (edge.type !== "weak" && edge.type !== "shortcut") each(edge, snapshot.edgeTargetOf(e));
    }
  };
  edges(ordinal, (edge, to) => {
    if (edge.name === "__proto__") return;
    if (storageOwner(snapshot, to)?.from !== ordinal) return add(to, edge.label);
    edges(to, (stored, target) => add(target, `${edge.name}[${stored.name}]`));
  });
  return found;
}

/** The graph's structure for the algorithms of `src/graph`. */
function compact(graph: ReferenceGraph): CompactGraph {
  return graphFromEdges(graph.nodes.length, graph.edges.map((edge) => [edge.from, edge.to]));
}

/**
 * A snapshot's object as a graph node: a string by its text, anything else by its class.
 *
 * @param snapshot The snapshot.
 * @param ordinal The node.
 * @returns The graph node.
 */
export function snapshotNode(snapshot: HeapSnapshot, ordinal: number): GraphNode {
  const node = snapshot.node(ordinal);
  return {
    id: node.id,
    className: node.className,
    text: node.type.endsWith("string") ? JSON.stringify(node.name) : node.className,
    kind: snapshotKind(node.type, node.className),
  };
}

function kind(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "function") return "closure";
  if (!isObjectLike(value)) return "object";
  const name = className(value); // never Array.isArray: it throws on a revoked Proxy
  if (name === "Array") return "array";
  if (name === "Map" || name === "Set") return "map";
  return name === "Object" ? "object" : "instance";
}

function snapshotKind(type: string, name: string): string {
  if (type.endsWith("string")) return "string";
  if (type === "closure") return "closure";
  if (type === "native") return "native";
  if (name === "Array") return "array";
  if (name === "Map" || name === "Set") return "map";
  return name === "Object" ? "object" : type === "object" ? "instance" : "object";
}
