import {
  type CompactGraph,
  type DominatorTree,
  dominatorTree,
  pathFromRoot,
  retainedSizes,
  type ReverseIndex,
  reverseIndex,
  type ShortestPathTree,
  shortestPathTree,
} from "../graph/mod.ts";
import { parseHeapSnapshot, readHeapSnapshot, type SnapshotSource } from "./load.ts";
import type { ParserOptions, RawHeapSnapshot } from "./parser.ts";

/** Plain data about one snapshot node, safe to keep after the snapshot is gone. */
export interface HeapObject {
  /** The object id: stable across snapshots of one process on Node and Deno. */
  id: number;
  /** The node type of the snapshot (`object`, `closure`, `string`, `hidden`…). */
  type: string;
  /** The node name: a constructor name, a function name, a string's text. */
  name: string;
  /** The type as DevTools names it: `Object`, `Array`, `MyClass`, `(string)`, `Function`. */
  className: string;
  /** The bytes of the object itself. */
  selfSize: number;
  /** The number of references it holds. */
  edgeCount: number;
}

/** V8's `detachedness` of a detached node (0 is unknown, 1 attached). */
const DETACHED = 2;

/**
 * A parsed heap snapshot with views over its nodes and edges, a retainers index, dominators and
 * retained sizes (computed on first use), DevTools type names, and lookups by id and marker.
 * Nodes are addressed by *ordinal* (position in the file, the root is 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * const snapshot = await HeapSnapshot.parse(takeHeapSnapshot());
 * assert(snapshot.node(0).retainedSize >= snapshot.node(0).selfSize);
 * ```
 */
export class HeapSnapshot {
  /** The arrays as parsed. */
  readonly raw: RawHeapSnapshot;
  /** The number of nodes. */
  readonly nodeCount: number;
  /** The number of edges. */
  readonly edgeCount: number;
  /** Node type names, indexed by a node's type number. */
  readonly nodeTypes: readonly string[];
  /** Edge type names, indexed by an edge's type number. */
  readonly edgeTypes: readonly string[];
  /** `nodeCount + 1` entries: the first edge (an edge ordinal) of each node. */
  readonly firstEdge: Uint32Array;
  /**
   * Whether object ids identify one object across snapshots of one process: true for V8
   * (Node, Deno, Chrome), false for Bun, which numbers the nodes of each snapshot with a
   * running counter (measured).
   */
  readonly stableIds: boolean;

  readonly #nodeFields: number;
  readonly #typeColumn: number;
  readonly #nameColumn: number;
  readonly #idColumn: number;
  readonly #detachednessColumn: number;
  readonly #edgeFields: number;
  readonly #edgeTypeColumn: number;
  readonly #edgeNameColumn: number;
  readonly #edgeToColumn: number;
  readonly #numericEdgeNames: Uint8Array;
  readonly #syntheticType: number;
  readonly #nativeType: number;
  readonly #edgeType: Record<"weak" | "shortcut" | "internal" | "element", number>;
  #selfSizes?: Float64Array;
  #classOf?: Uint32Array;
  #classNames?: string[];
  #graph?: CompactGraph;
  #reverse?: ReverseIndex;
  #essential?: Uint8Array;
  #dominators?: DominatorTree;
  #retained?: Float64Array;
  #paths?: ShortestPathTree;
  #byId?: Uint32Array;

  /**
   * @param raw The parsed arrays (see {@linkcode parseHeapSnapshot}).
   */
  constructor(raw: RawHeapSnapshot) {
    this.raw = raw;
    const { meta } = raw.header;
    this.#nodeFields = meta.node_fields.length;
    this.#typeColumn = meta.node_fields.indexOf("type");
    this.#nameColumn = meta.node_fields.indexOf("name");
    this.#idColumn = meta.node_fields.indexOf("id");
    this.#detachednessColumn = meta.node_fields.indexOf("detachedness");
    this.#edgeFields = meta.edge_fields.length;
    this.#edgeTypeColumn = meta.edge_fields.indexOf("type");
    this.#edgeNameColumn = meta.edge_fields.indexOf("name_or_index");
    this.#edgeToColumn = meta.edge_fields.indexOf("to_node");
    // `node_types[i]` describes the column `node_fields[i]`: the type column's entry lists the types.
    this.nodeTypes = typeNames(meta.node_types[this.#typeColumn]);
    this.edgeTypes = typeNames(meta.edge_types[this.#edgeTypeColumn]);
    this.nodeCount = raw.nodes.length / this.#nodeFields;
    if (!(this.nodeCount >= 1)) {
      throw new RangeError("Cannot use a heap snapshot without nodes: a snapshot holds its root");
    }
    this.#syntheticType = this.nodeTypes.indexOf("synthetic");
    this.#nativeType = this.nodeTypes.indexOf("native");
    this.edgeCount = raw.edges.length / this.#edgeFields;
    const edgeType = (name: string) => this.edgeTypes.indexOf(name);
    this.#edgeType = {
      weak: edgeType("weak"),
      shortcut: edgeType("shortcut"),
      internal: edgeType("internal"),
      element: edgeType("element"),
    };
    this.#numericEdgeNames = new Uint8Array(this.edgeTypes.length);
    for (const name of ["element", "hidden"]) {
      const index = edgeType(name);
      if (index >= 0) this.#numericEdgeNames[index] = 1;
    }
    const edgeCountColumn = meta.node_fields.indexOf("edge_count");
    const firstEdge = new Uint32Array(this.nodeCount + 1);
    // Bun numbers nodes with a counter that runs on across snapshots: after the root and the GC
    // roots (ids 1 and 2), every id is the previous plus one. V8's ids step by two.
    let countedIds = this.nodeCount > 3;
    for (let node = 0, at = 0; node < this.nodeCount; node++, at += this.#nodeFields) {
      firstEdge[node + 1] = firstEdge[node]! + raw.nodes[at + edgeCountColumn]!;
      if (
        node >= 3 &&
        raw.nodes[at + this.#idColumn] !== raw.nodes[at - this.#nodeFields + this.#idColumn]! + 1
      ) {
        countedIds = false;
      }
    }
    this.firstEdge = firstEdge;
    this.stableIds = !countedIds;
  }

  /**
   * Parses a snapshot from bytes, chunks or a stream.
   *
   * @param source The bytes, or an (async) iterable of chunks.
   * @param options Progress reporting.
   * @returns The snapshot.
   * @throws {HeapSnapshotSyntaxError} For input that is not a valid snapshot.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { HeapSnapshot } from "heapler/heap";
   * import { takeHeapSnapshot } from "heapler/runtime";
   * const snapshot = await HeapSnapshot.parse(takeHeapSnapshot());
   * assert(snapshot.nodeCount > 0);
   * ```
   */
  static async parse(source: SnapshotSource, options: ParserOptions = {}): Promise<HeapSnapshot> {
    return new HeapSnapshot(await parseHeapSnapshot(source, options));
  }

  /**
   * Reads a `.heapsnapshot` file in chunks.
   *
   * @param path The file.
   * @param options Progress reporting.
   * @returns The snapshot.
   * @throws {HeapSnapshotSyntaxError} For a file that is not a valid snapshot.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { HeapSnapshot } from "heapler/heap";
   * import { writeHeapSnapshot } from "heapler/runtime";
   * import { rm } from "node:fs/promises";
   * const path = await writeHeapSnapshot("read-example.heapsnapshot");
   * assert((await HeapSnapshot.read(path)).nodeCount > 0);
   * await rm(path);
   * ```
   */
  static async read(path: string, options: ParserOptions = {}): Promise<HeapSnapshot> {
    return new HeapSnapshot(await readHeapSnapshot(path, options));
  }

  /** The ordinal of the root node. */
  get root(): number {
    return 0;
  }

  /**
   * A view of one node.
   *
   * @param ordinal The node's position.
   * @returns The view.
   */
  node(ordinal: number): HeapNode {
    if (!(ordinal >= 0 && ordinal < this.nodeCount)) {
      throw new RangeError(`No node at ordinal ${ordinal}: the snapshot has ${this.nodeCount}`);
    }
    return new HeapNode(this, ordinal);
  }

  /** The node type number of a node. */
  typeIndexOf(ordinal: number): number {
    return this.raw.nodes[ordinal * this.#nodeFields + this.#typeColumn]!;
  }

  /** The node type name of a node (`object`, `closure`…). */
  typeOf(ordinal: number): string {
    return this.nodeTypes[this.typeIndexOf(ordinal)] ?? "unknown";
  }

  /** The name of a node. */
  nameOf(ordinal: number): string {
    return this.raw.strings[this.nameIndexOf(ordinal)]!;
  }

  /**
   * Where a node's name is in `raw.strings`: the engine writes each name once, so nodes with
   * equal names (a string's value) have equal indexes, compared without reading the text.
   */
  nameIndexOf(ordinal: number): number {
    return this.raw.nodes[ordinal * this.#nodeFields + this.#nameColumn]!;
  }

  /** The id of a node. */
  idOf(ordinal: number): number {
    return this.raw.nodes[ordinal * this.#nodeFields + this.#idColumn]!;
  }

  /**
   * Whether V8 marked a node detached: a DOM node (or another embedder object) no longer in its
   * document, which only the program's references keep. Browser snapshots have them; Node's,
   * Deno's and Bun's have none, and snapshots without the `detachedness` field say false.
   */
  isDetached(ordinal: number): boolean {
    return this.#detachednessColumn >= 0 &&
      this.raw.nodes[ordinal * this.#nodeFields + this.#detachednessColumn] === DETACHED;
  }

  /** The self size of a node as DevTools shows it (see {@linkcode HeapSnapshot.selfSizes}). */
  selfSizeOf(ordinal: number): number {
    return this.selfSizes[ordinal]!;
  }

  /**
   * Each node's self size as DevTools shows it: the engine's internal arrays and `(system)`
   * objects that belong to exactly one object (its properties and elements stores) are counted
   * in that object and show 0 themselves, so an `Array` of 1,000 elements is as big as they are.
   * The total is unchanged. Snapshots without user roots keep the engine's sizes.
   * The engine's own figures stay in `raw.selfSizes`.
   */
  get selfSizes(): Float64Array {
    this.#selfSizes ??= this.#computeShallowSizes();
    return this.#selfSizes;
  }

  /**
   * Whether a node is an object of its own, as summaries count them (DevTools' rule): not a
   * root (synthetic), and not an engine array or `(system)` object whose size
   * {@linkcode HeapSnapshot.selfSizes} moved into its owner (a node of size 0 except native
   * ones).
   */
  isObject(ordinal: number): boolean {
    const type = this.typeIndexOf(ordinal);
    if (type === this.#syntheticType) return false;
    return type === this.#nativeType || this.selfSizes[ordinal]! > 0;
  }

  /** The DevTools class name of a node. */
  classNameOf(ordinal: number): string {
    return this.classNames[this.classIndexes[ordinal]!]!;
  }

  /** The class index of every node, into {@linkcode HeapSnapshot.classNames}. */
  get classIndexes(): Uint32Array {
    if (this.#classOf === undefined) this.#computeClasses();
    return this.#classOf!;
  }

  /** The distinct DevTools class names of the snapshot. */
  get classNames(): readonly string[] {
    if (this.#classNames === undefined) this.#computeClasses();
    return this.#classNames!;
  }

  /** The index of an edge's type in {@linkcode HeapSnapshot.edgeTypes}. */
  edgeTypeIndexOf(edge: number): number {
    return this.raw.edges[edge * this.#edgeFields + this.#edgeTypeColumn]!;
  }

  /** The edge type name of an edge (`property`, `element`, `context`…). */
  edgeTypeOf(edge: number): string {
    return this.edgeTypes[this.edgeTypeIndexOf(edge)] ??
      "unknown";
  }

  /** The name of an edge: a property name, or the index for `element` and `hidden` edges. */
  edgeNameOf(edge: number): string {
    const nameOrIndex = this.edgeNameIndexOf(edge);
    return this.#numericEdgeNames[this.edgeTypeIndexOf(edge)] === 1
      ? String(nameOrIndex)
      : this.raw.strings[nameOrIndex]!;
  }

  /** An edge's `name_or_index` as written: a `raw.strings` index, or the element's index. */
  edgeNameIndexOf(edge: number): number {
    return this.raw.edges[edge * this.#edgeFields + this.#edgeNameColumn]!;
  }

  /** The ordinal of the node an edge points to. */
  edgeTargetOf(edge: number): number {
    return this.raw.edges[edge * this.#edgeFields + this.#edgeToColumn]! / this.#nodeFields;
  }

  /** The snapshot as a {@linkcode CompactGraph} (built on first use). */
  get graph(): CompactGraph {
    if (this.#graph === undefined) {
      const edgeTarget = new Uint32Array(this.edgeCount);
      const { edges } = this.raw;
      for (let e = 0, at = this.#edgeToColumn; e < this.edgeCount; e++, at += this.#edgeFields) {
        edgeTarget[e] = edges[at]! / this.#nodeFields;
      }
      this.#graph = { nodeCount: this.nodeCount, firstEdge: this.firstEdge, edgeTarget };
    }
    return this.#graph;
  }

  /** Who points at each node (built on first use). */
  get retainers(): ReverseIndex {
    this.#reverse ??= reverseIndex(this.graph);
    return this.#reverse;
  }

  /**
   * Which edges retain, one byte per edge (1 = it does). The one rule for dominators, retained
   * sizes and retaining paths, as DevTools has it: weak edges and self edges do not retain;
   * `shortcut` edges retain only from the root; the edge from a WeakMap's table to a value
   * does not (the key's edge does); nor does an edge from an object outside the page (what
   * the root's shortcuts reach, i.e. the global object) to one inside it.
   */
  get essentialEdges(): Uint8Array {
    this.#essential ??= this.#computeEssentialEdges();
    return this.#essential;
  }

  /** The dominator tree over the essential edges (computed on first use). */
  get dominators(): DominatorTree {
    this.#dominators ??= dominatorTree(this.graph, this.retainers, this.root, this.essentialEdges);
    return this.#dominators;
  }

  /** Each node's retained size: what would be freed if it were gone. Exact as DevTools'. */
  get retainedSizes(): Float64Array {
    this.#retained ??= retainedSizes(this.dominators, this.selfSizes);
    return this.#retained;
  }

  /** A shortest retaining path from the root to every node, over essential edges. */
  get shortestPaths(): ShortestPathTree {
    this.#paths ??= shortestPathTree(this.graph, [this.root], this.essentialEdges);
    return this.#paths;
  }

  /**
   * The shortest retaining path from the root to a node, as edges root side first.
   *
   * @param ordinal The node.
   * @returns The edges; empty for the root or a node the root cannot reach.
   */
  retainingPath(ordinal: number): HeapEdge[] {
    return pathFromRoot(this.shortestPaths, ordinal).map((edge) =>
      new HeapEdge(this, edge, this.shortestPaths.parentNode[this.edgeTargetOf(edge)]!)
    );
  }

  /**
   * Writes a retaining path the way a reader follows it: `(root) → global .cache → Map [k]`.
   *
   * @param ordinal The node.
   * @returns The path, or `(unreachable)`.
   */
  describePath(ordinal: number): string {
    if (ordinal === this.root) return "(root)";
    const path = this.retainingPath(ordinal);
    if (path.length === 0) return "(unreachable)";
    return path.map((edge) => `${edge.label} → ${edge.target.className}`).join(" ");
  }

  /**
   * Finds the node with an id.
   *
   * @param id The object id.
   * @returns Its ordinal, or -1.
   */
  ordinalOf(id: number): number {
    this.#byId ??= this.#sortById();
    const byId = this.#byId;
    let low = 0;
    let high = byId.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const found = this.idOf(byId[middle]!);
      if (found === id) return byId[middle]!;
      if (found < id) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /** Ordinals sorted by id (built on first use). */
  get ordinalsById(): Uint32Array {
    this.#byId ??= this.#sortById();
    return this.#byId;
  }

  /**
   * Locates values held under unique property keys (see `src/heap/marker.ts`): one scan of the
   * edges for any number of keys.
   *
   * @param keys Property keys of marker objects.
   * @returns For each key, the ordinal of the value it holds, or -1.
   */
  findByPropertyKeys(keys: readonly string[]): number[] {
    const found = keys.map(() => -1);
    const slotOfName = new Map<number, number>();
    if (keys.length <= 8) {
      keys.forEach((key, slot) => {
        const index = this.raw.strings.indexOf(key); // the table holds each string once
        if (index >= 0) slotOfName.set(index, slot);
      });
    } else {
      const wanted = new Map(keys.map((key, slot) => [key, slot]));
      this.raw.strings.forEach((text, index) => {
        const slot = wanted.get(text);
        if (slot !== undefined) slotOfName.set(index, slot);
      });
    }
    if (slotOfName.size === 0) return found;
    const { edges } = this.raw;
    const numeric = this.#numericEdgeNames;
    for (let at = 0; at < edges.length; at += this.#edgeFields) {
      if (numeric[edges[at + this.#edgeTypeColumn]!] === 1) continue;
      const slot = slotOfName.get(edges[at + this.#edgeNameColumn]!);
      if (slot !== undefined && found[slot] === -1) {
        found[slot] = edges[at + this.#edgeToColumn]! / this.#nodeFields;
      }
    }
    return found;
  }

  #computeShallowSizes(): Float64Array {
    const sizes = Float64Array.from(this.raw.selfSizes);
    const { nodeCount, root } = this;
    const synthetic = this.#syntheticType;
    const hasUserRoots = this.node(root).edges().some((edge) =>
      this.typeIndexOf(edge.target.ordinal) !== synthetic
    );
    if (!hasUserRoots) return sizes;
    const UNVISITED = 0xffffffff;
    const SHARED = 0xfffffffe;
    const ownable = new Uint8Array(this.nodeTypes.length);
    for (const type of ["hidden", "array"]) {
      const index = this.nodeTypes.indexOf(type);
      if (index >= 0) ownable[index] = 1;
    }
    const native = this.#nativeType;
    // Each node's owner: itself, the one object that reaches it through ownable nodes, or shared.
    const owners = new Uint32Array(nodeCount);
    const work = new Uint32Array(2 * nodeCount);
    let top = 0;
    for (let node = 0; node < nodeCount; node++) {
      const type = this.typeIndexOf(node);
      if (
        ownable[type] === 1 ||
        (type === native && this.nameOf(node) === "system / ExternalStringData")
      ) {
        owners[node] = UNVISITED;
      } else {
        owners[node] = node;
        work[top++] = node;
      }
    }
    const { edges } = this.raw;
    const weak = this.#edgeType.weak;
    while (top > 0) {
      const node = work[--top]!;
      const owner = owners[node]!;
      for (let e = this.firstEdge[node]!, end = this.firstEdge[node + 1]!; e < end; e++) {
        const at = e * this.#edgeFields;
        if (edges[at + this.#edgeTypeColumn] === weak) continue;
        const to = edges[at + this.#edgeToColumn]! / this.#nodeFields;
        const current = owners[to]!;
        if (current === UNVISITED) {
          owners[to] = owner;
          work[top++] = to;
        } else if (current !== to && current !== owner && current !== SHARED) {
          owners[to] = SHARED;
          work[top++] = to;
        }
      }
    }
    for (let node = 0; node < nodeCount; node++) {
      const owner = owners[node]!;
      if (owner === UNVISITED || owner === SHARED || owner === node) continue;
      if (owner === root || this.typeIndexOf(owner) === synthetic) continue;
      sizes[owner]! += sizes[node]!;
      sizes[node] = 0;
    }
    return sizes;
  }

  #computeClasses(): void {
    const names: string[] = [];
    const indexOfName = new Map<string, number>();
    const classFor = (name: string): number => {
      let index = indexOfName.get(name);
      if (index === undefined) {
        index = names.length;
        names.push(name);
        indexOfName.set(name, index);
      }
      return index;
    };
    const fixed = this.nodeTypes.map((type) => {
      switch (type) {
        case "hidden":
          return classFor("(system)");
        case "code":
          return classFor("(compiled code)");
        case "closure":
          return classFor("Function");
        case "regexp":
          return classFor("RegExp");
        case "object":
        case "native":
          return -1; // named by the node's name
        default:
          return classFor(`(${type})`);
      }
    });
    const byString = new Int32Array(this.raw.strings.length).fill(-1);
    const classOf = new Uint32Array(this.nodeCount);
    const { nodes, strings } = this.raw;
    for (let node = 0, at = 0; node < this.nodeCount; node++, at += this.#nodeFields) {
      const fixedClass = fixed[nodes[at + this.#typeColumn]!]!;
      if (fixedClass >= 0) {
        classOf[node] = fixedClass;
        continue;
      }
      const name = nodes[at + this.#nameColumn]!;
      let index = byString[name]!;
      if (index < 0) index = byString[name] = classFor(objectClassName(strings[name]!));
      classOf[node] = index;
    }
    this.#classOf = classOf;
    this.#classNames = names;
  }

  #computeEssentialEdges(): Uint8Array {
    const essential = new Uint8Array(this.edgeCount);
    const { edges, strings } = this.raw;
    const { firstEdge } = this;
    const pageOwned = this.#pageOwned();
    const { weak, shortcut, internal } = this.#edgeType;
    const root = this.root;
    for (let from = 0; from < this.nodeCount; from++) {
      const fromPage = pageOwned[from];
      for (let e = firstEdge[from]!, end = firstEdge[from + 1]!; e < end; e++) {
        const at = e * this.#edgeFields;
        const type = edges[at + this.#edgeTypeColumn]!;
        if (type === weak) continue;
        const to = edges[at + this.#edgeToColumn]! / this.#nodeFields;
        if (to === from) continue;
        if (from !== root) {
          if (type === shortcut) continue;
          if (pageOwned[to] === 1 && fromPage !== 1) continue;
        }
        if (type === internal) {
          const table = weakMapTableId(strings[edges[at + this.#edgeNameColumn]!]!);
          if (table !== undefined && table === this.idOf(from)) continue;
        }
        essential[e] = 1;
      }
    }
    return essential;
  }

  /** What the root's shortcut edges (the global objects) reach over non-weak edges. */
  #pageOwned(): Uint8Array {
    const owned = new Uint8Array(this.nodeCount);
    const { edges } = this.raw;
    const { weak, shortcut, element } = this.#edgeType;
    const stack = new Uint32Array(this.nodeCount);
    let top = 0;
    const root = this.root;
    for (let e = this.firstEdge[root]!, end = this.firstEdge[root + 1]!; e < end; e++) {
      const type = edges[e * this.#edgeFields + this.#edgeTypeColumn]!;
      const to = this.edgeTargetOf(e);
      const domTrees = type === element && this.typeOf(to) === "synthetic" &&
        this.nameOf(to) === "(Document DOM trees)";
      if (type !== shortcut && !domTrees) continue;
      if (owned[to] === 1) continue;
      owned[to] = 1;
      stack[top++] = to;
    }
    while (top > 0) {
      const node = stack[--top]!;
      for (let e = this.firstEdge[node]!, end = this.firstEdge[node + 1]!; e < end; e++) {
        const at = e * this.#edgeFields;
        if (edges[at + this.#edgeTypeColumn] === weak) continue;
        const to = edges[at + this.#edgeToColumn]! / this.#nodeFields;
        if (owned[to] === 1) continue;
        owned[to] = 1;
        stack[top++] = to;
      }
    }
    return owned;
  }

  #sortById(): Uint32Array {
    const ids = new Uint32Array(this.nodeCount);
    for (let node = 0; node < this.nodeCount; node++) ids[node] = this.idOf(node);
    return sortByKey(ids);
  }
}

/** A view of one node of a {@linkcode HeapSnapshot}. */
export class HeapNode {
  /** The snapshot. */
  readonly snapshot: HeapSnapshot;
  /** The node's position. */
  readonly ordinal: number;

  /**
   * @param snapshot The snapshot.
   * @param ordinal The node's position.
   */
  constructor(snapshot: HeapSnapshot, ordinal: number) {
    this.snapshot = snapshot;
    this.ordinal = ordinal;
  }

  /** The object id. */
  get id(): number {
    return this.snapshot.idOf(this.ordinal);
  }

  /** The node type (`object`, `closure`, `string`…). */
  get type(): string {
    return this.snapshot.typeOf(this.ordinal);
  }

  /** The node name. */
  get name(): string {
    return this.snapshot.nameOf(this.ordinal);
  }

  /** The DevTools class name. */
  get className(): string {
    return this.snapshot.classNameOf(this.ordinal);
  }

  /** The node's own bytes. */
  get selfSize(): number {
    return this.snapshot.selfSizeOf(this.ordinal);
  }

  /** What would be freed with it. */
  get retainedSize(): number {
    return this.snapshot.retainedSizes[this.ordinal]!;
  }

  /** The number of outgoing edges. */
  get edgeCount(): number {
    return this.snapshot.firstEdge[this.ordinal + 1]! - this.snapshot.firstEdge[this.ordinal]!;
  }

  /** Its immediate dominator. */
  get dominator(): HeapNode {
    return this.snapshot.node(this.snapshot.dominators.dominator[this.ordinal]!);
  }

  /** Its outgoing edges. */
  edges(): HeapEdge[] {
    const result: HeapEdge[] = [];
    const { firstEdge } = this.snapshot;
    for (let e = firstEdge[this.ordinal]!, end = firstEdge[this.ordinal + 1]!; e < end; e++) {
      result.push(new HeapEdge(this.snapshot, e, this.ordinal));
    }
    return result;
  }

  /** The edges that point to it. */
  retainers(): HeapEdge[] {
    const { firstRetainer, retainerEdge, retainerNode } = this.snapshot.retainers;
    const result: HeapEdge[] = [];
    for (
      let r = firstRetainer[this.ordinal]!, end = firstRetainer[this.ordinal + 1]!;
      r < end;
      r++
    ) {
      result.push(new HeapEdge(this.snapshot, retainerEdge[r]!, retainerNode[r]!));
    }
    return result;
  }

  /** The node as plain data. */
  toObject(): HeapObject {
    return {
      id: this.id,
      type: this.type,
      name: this.name,
      className: this.className,
      selfSize: this.selfSize,
      edgeCount: this.edgeCount,
    };
  }
}

/** A view of one edge of a {@linkcode HeapSnapshot}. */
export class HeapEdge {
  /** The snapshot. */
  readonly snapshot: HeapSnapshot;
  /** The edge's position. */
  readonly index: number;
  /** The ordinal of the node the edge starts from. */
  readonly from: number;

  /**
   * @param snapshot The snapshot.
   * @param index The edge's position.
   * @param from The ordinal of its source node.
   */
  constructor(snapshot: HeapSnapshot, index: number, from: number) {
    this.snapshot = snapshot;
    this.index = index;
    this.from = from;
  }

  /** The edge type (`property`, `element`, `context`, `internal`, `hidden`, `shortcut`, `weak`). */
  get type(): string {
    return this.snapshot.edgeTypeOf(this.index);
  }

  /** The property name, or the index for elements. */
  get name(): string {
    return this.snapshot.edgeNameOf(this.index);
  }

  /** The node it starts from. */
  get source(): HeapNode {
    return this.snapshot.node(this.from);
  }

  /** The node it points to. */
  get target(): HeapNode {
    return this.snapshot.node(this.snapshot.edgeTargetOf(this.index));
  }

  /** Whether it keeps its target alive (see {@linkcode HeapSnapshot.essentialEdges}). */
  get retains(): boolean {
    return this.snapshot.essentialEdges[this.index] === 1;
  }

  /** How a reader writes the edge: `.cache`, `[3]`, `context x`, `(internal) table`. */
  get label(): string {
    const name = this.name;
    switch (this.type) {
      case "property":
        return `.${name}`;
      case "element":
        return `[${name}]`;
      case "context":
        return `context ${name}`;
      case "shortcut":
        return name;
      default:
        return `(${this.type}) ${name}`;
    }
  }
}

/**
 * DevTools' class name of an `object` or `native` node: DOM-like names lose their attributes. A
 * scope Deno's V8 names after its node (`system / Context / scope @405635`) is a `system /
 * Context`, as on Node: an id in a type name would split one type into a row per object and
 * change every run.
 */
function objectClassName(name: string): string {
  if (name.startsWith("system / Context / ")) return "system / Context";
  for (const prefix of ["<", "Detached <"]) {
    if (!name.startsWith(prefix)) continue;
    const space = name.indexOf(" ", prefix.length);
    return space === -1 ? name : `${name.slice(0, space)}>`;
  }
  return name;
}

const WEAK_MAP_PAIR = " pair in WeakMap (table @";

/**
 * The table id named by the internal edge from a WeakMap's table to a value, if it is one:
 * `"1 / part of key (Object @9) -> value (Object @11) pair in WeakMap (table @13)"` gives 13.
 * Parsed without a RegExp, whose last-match state would keep a snapshot string alive.
 */
function weakMapTableId(name: string): number | undefined {
  if (!name.endsWith(")") || !name.includes(" / part of key (")) return undefined;
  const pair = name.lastIndexOf(WEAK_MAP_PAIR);
  if (pair < 0 || !name.includes(") -> value (")) return undefined;
  const digits = name.slice(pair + WEAK_MAP_PAIR.length, -1);
  return digits !== "" && String(Number(digits)) === digits ? Number(digits) : undefined;
}

function typeNames(types: unknown): string[] {
  return Array.isArray(types) ? types.map(String) : [];
}

/**
 * Sorts positions by a 32-bit key with two passes of a 16-bit radix sort: linear time, no
 * comparator calls, stable.
 */
function sortByKey(keys: Uint32Array): Uint32Array {
  const count = keys.length;
  let order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let spare = new Uint32Array(count);
  const buckets = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    buckets.fill(0);
    for (let i = 0; i < count; i++) buckets[((keys[i]! >>> shift) & 0xffff) + 1]!++;
    for (let b = 0; b < 65536; b++) buckets[b + 1]! += buckets[b]!;
    for (let i = 0; i < count; i++) {
      const position = order[i]!;
      spare[buckets[(keys[position]! >>> shift) & 0xffff]!++] = position;
    }
    [order, spare] = [spare, order];
  }
  return order;
}
