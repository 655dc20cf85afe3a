import { HeapEdge, type HeapObject, type HeapSnapshot, snapshotWithValues } from "../heap/mod.ts";
import {
  heaplerOwned,
  isProgramObject,
  MARKER_PREFIX,
  reachedNodes,
  scopeScript,
  storageOwner,
} from "../heap/internal.ts";
import { stdout, writeFileAtomic } from "../runtime/internal.ts";
import { type TextStream } from "../runtime/mod.ts";

/** What a node of the tree stands for: plain data, handed to `strFunc`. */
export interface NodeRecord extends HeapObject {
  /** How this referrer holds its child: `.cache`, `[1]`, `context x`; empty for the root. */
  edge: string;
  /** For a scope (`system / Context`), the script whose functions run in it: the module. */
  script?: string;
}

/** A node of a referrer tree: its record and its referrers (or leaf texts). */
export interface RefNode {
  record: NodeRecord;
  children: (RefNode | string)[];
}

/** Options of the browsers. */
export interface BrowserOptions {
  /** How many levels of referrers to show. @default 10; 3 with `internals` */
  maxdepth?: number;
  /** The text of a node. @default `className` plus the edge */
  strFunc?: (record: NodeRecord) => string;
  /**
   * Show an object's referrers again where it is reached again; false prints
   * `(already included, id N)`. @default false; true with `internals`
   */
  repeat?: boolean;
  /** The most referrers listed per node. @default 50 */
  maxChildren?: number;
  /** Where `printTree` writes (ConsoleBrowser). @default standard output */
  stream?: TextStream;
  /**
   * Show every referrer, the engine's too: compiled code, shapes, feedback, storage arrays,
   * native and weak holders, and go on past named holders. By default a tree shows the program's
   * strong holders, nearest the root first, and ends where a variable of a module (or script)
   * or a global property holds the object. @default false
   */
  internals?: boolean;
}

/** The default text of a node: the referrer's class and the edge that holds the child. */
export function defaultStrFunc(record: NodeRecord): string {
  const text = record.type.endsWith("string")
    ? JSON.stringify(record.name.slice(0, 40))
    : record.type === "synthetic"
    ? record.name
    : record.script === undefined
    ? record.className
    : `${record.className} (${shortScript(record.script)})`;
  return record.edge === "" ? text : `${text} ${record.edge}`;
}

/** The most holders one tree shows: past it, a line says the tree stops. */
const MAX_SHOWN = 500;

/**
 * The depth and repetition a tree has unless told: Pympler's (3 levels, a holder shown again
 * wherever it is reached) with `internals`; otherwise 10 levels, each holder expanded once, as
 * the program's trees end at named holders and 3 levels rarely reach one.
 */
function treeDefaults(options: BrowserOptions): { maxdepth: number; repeat: boolean } {
  const internals = options.internals ?? false;
  return {
    maxdepth: options.maxdepth ?? (internals ? 3 : 10),
    repeat: options.repeat ?? internals,
  };
}

/** Where a Bun snapshot holds an object without a referrer. */
const UNSEEN_HOLDER =
  "(a holder Bun's snapshot does not show: a Map or Set entry, or a closure's scope)";

/** A script's last two path segments, enough to tell a module: `src/cache.ts`. */
function shortScript(script: string): string {
  return script.split(/[/\\]/).slice(-2).join("/");
}

/**
 * Builds the referrer tree of a snapshot node (the data API of the interactive browser too).
 *
 * @param snapshot The snapshot.
 * @param ordinal The root node.
 * @param options Depth, repeat, how many referrers per node, `internals`, and nodes never to show
 * (`hidden`).
 * @returns The tree.
 */
export function referrerTree(
  snapshot: HeapSnapshot,
  ordinal: number,
  options: BrowserOptions & { hidden?: readonly number[] } = {},
): RefNode {
  const { internals = false, maxChildren = 50, strFunc = defaultStrFunc } = options;
  const { maxdepth, repeat } = treeDefaults(options);
  const hidden = Uint8Array.from(heaplerOwned(snapshot));
  for (const node of options.hidden ?? []) if (node >= 0) hidden[node] = 1;
  const seen = new Set<number>([ordinal]);
  const root: RefNode = { record: record(snapshot, ordinal, ""), children: [] };
  const stack: { node: RefNode; ordinal: number; depth: number }[] = [{
    node: root,
    ordinal,
    depth: 0,
  }];
  let shown = 1;
  while (stack.length > 0) {
    const { node, ordinal: at, depth } = stack.pop()!;
    if (depth >= maxdepth) continue;
    const pending: typeof stack = [];
    const found = referrers(snapshot, at, hidden, internals);
    if (shown >= MAX_SHOWN) {
      if (found.length > 0) node.children.push(`… the tree stops at ${MAX_SHOWN} holders`);
      continue;
    }
    shown += Math.min(found.length, maxChildren);
    for (const retainer of found.slice(0, maxChildren)) {
      const child: RefNode = {
        record: record(snapshot, retainer.from, retainer.label),
        children: [],
      };
      if (!repeat && seen.has(retainer.from)) {
        node.children.push(`${strFunc(child.record)} (already included, id ${child.record.id})`);
        continue;
      }
      seen.add(retainer.from);
      node.children.push(child);
      if (!retainer.named) pending.push({ node: child, ordinal: retainer.from, depth: depth + 1 });
    }
    if (found.length > maxChildren) node.children.push(`… ${found.length - maxChildren} more`);
    if (found.length === 0 && !snapshot.stableIds && !internals) {
      node.children.push(UNSEEN_HOLDER);
    }
    stack.push(...pending.reverse());
  }
  return root;
}

/**
 * The referrers of one snapshot node, each with the edge that holds it: one level of the tree,
 * for browsers that expand lazily.
 *
 * @param snapshot The snapshot.
 * @param ordinal The node.
 * @param hidden Nodes never to show, one byte per node (heapler's own: `heaplerOwned(snapshot)`).
 * @param internals Show the engine's referrers too (see {@linkcode BrowserOptions.internals}).
 * @returns The referrers' records, nearest the root first (with `internals`, in the snapshot's
 * order).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referrerRecords } from "./internal.ts";
 * import { snapshotWithValues } from "heapler/heap";
 * import { heaplerOwned } from "../heap/internal.ts";
 * const leaked = { id: 1 };
 * const holder = { cache: [leaked] };
 * const { snapshot, ordinals: [at] } = await snapshotWithValues([leaked]);
 * const records = referrerRecords(snapshot, at!, heaplerOwned(snapshot));
 * assert(records.some((r) => r.className === "Array" && r.edge === "[0]") && holder.cache.length === 1);
 * ```
 */
export function referrerRecords(
  snapshot: HeapSnapshot,
  ordinal: number,
  hidden: Uint8Array,
  internals = false,
): NodeRecord[] {
  return referrers(snapshot, ordinal, hidden, internals).map((referrer) =>
    record(snapshot, referrer.from, referrer.label)
  );
}

/** A referrer: the node, the label of its edge, and whether it is a named holder (a leaf). */
interface Referrer {
  from: number;
  label: string;
  named: boolean;
}

/**
 * The referrers of a node, heapler's own left out. Without `internals`: strong edges only, from
 * nodes the program holds (objects, functions, scopes, the GC roots), a storage array folded into
 * the object that owns it (`Map table[12]`), nearest the root first; a module's variable or a
 * global property is a named holder, where the tree stops.
 */
function referrers(
  snapshot: HeapSnapshot,
  ordinal: number,
  hidden: Uint8Array,
  internals = false,
): Referrer[] {
  const { firstRetainer, retainerEdge, retainerNode } = snapshot.retainers;
  const reach = internals ? undefined : reachedNodes(snapshot);
  const found: Referrer[] = [];
  for (let r = firstRetainer[ordinal]!; r < firstRetainer[ordinal + 1]!; r++) {
    let from = retainerNode[r]!;
    if (hidden[from] === 1 || from === ordinal) continue;
    const edge = new HeapEdge(snapshot, retainerEdge[r]!, from);
    if (edge.type === "property" && edge.name.startsWith(MARKER_PREFIX)) continue;
    const owner = storageOwner(snapshot, from);
    if (owner !== undefined && heldByMarker(snapshot, owner.from, ordinal)) continue;
    if (reach === undefined) {
      found.push({ from, label: edge.label, named: false });
      continue;
    }
    // Strong edges, by their type: DevTools' retention rule (`essentialEdges`) also drops an
    // edge from outside the page to inside it, and heapler's holder on the global object puts
    // the values it was handed inside the page.
    if (edge.type === "weak" || edge.type === "shortcut") continue;
    let label = edge.label;
    if (owner !== undefined) {
      // A store's edges repeat its owner's own (`Array [1]` and `elements[1]`): only the
      // stores without them (a Map's table) hold through the store.
      if (hasEdgeTo(snapshot, owner.from, ordinal, (e) => snapshot.edgeTypeOf(e) !== "internal")) {
        continue;
      }
      label = `${owner.name}[${edge.name}]`;
      from = owner.from;
      if (hidden[from] === 1) continue;
    }
    const promise = reactionsOwner(snapshot, from);
    if (promise !== undefined) {
      from = promise;
      label = "reactions";
    }
    if (reach[from] !== 1) continue;
    if (!isProgramObject(snapshot, from) && snapshot.typeOf(from) !== "synthetic") continue;
    const add = (holder: number, named: boolean) => {
      if (found.some((seen) => seen.from === holder && seen.label === label)) return;
      found.push({ from: holder, label, named });
    };
    if (edge.type !== "context") {
      add(from, globals(snapshot).has(from));
    } else if (isOutermostScope(snapshot, from)) {
      add(from, true);
    } else {
      // A closure's scope is its functions': `Function context value`.
      const closures = scopeHolders(snapshot, from).filter((holder) => hidden[holder] !== 1);
      if (closures.length === 0) add(from, false);
      for (const closure of closures) add(closure, false);
    }
  }
  if (reach === undefined) return found;
  // A GC root that holds the node beside the program's objects is the call taking the snapshot,
  // or a module still running its top level: the objects name the holder better.
  const synthetic = (referrer: Referrer) => snapshot.typeOf(referrer.from) === "synthetic";
  const shown = found.some((referrer) => !synthetic(referrer))
    ? found.filter((referrer) => !synthetic(referrer))
    : found;
  const distance = snapshot.shortestPaths.distance;
  return shown.sort((a, b) => distance[a.from]! - distance[b.from]!);
}

/**
 * Whether a scope is a script's or module's own (its outer scope is no function's), so that its
 * variables name their holder; a closure's scope is held by its functions in turn.
 */
function isOutermostScope(snapshot: HeapSnapshot, context: number): boolean {
  for (let e = snapshot.firstEdge[context]!, end = snapshot.firstEdge[context + 1]!; e < end; e++) {
    if (snapshot.edgeTypeOf(e) === "internal" && snapshot.edgeNameOf(e) === "previous") {
      return snapshot.classNameOf(snapshot.edgeTargetOf(e)) !== "system / Context";
    }
  }
  return true;
}

/**
 * The promise whose pending callbacks a reaction record holds (V8 chains a promise's reactions
 * from its `reactions_or_result` by `next`), or undefined for a node that is no such record.
 */
function reactionsOwner(snapshot: HeapSnapshot, node: number): number | undefined {
  const { firstRetainer, retainerEdge, retainerNode } = snapshot.retainers;
  const reaction = (at: number) =>
    snapshot.typeOf(at) === "hidden" || snapshot.classNameOf(at) === "system / PromiseReaction";
  let at = node;
  for (let steps = 0; steps < snapshot.nodeCount && reaction(at); steps++) {
    let next = -1;
    for (let r = firstRetainer[at]!; r < firstRetainer[at + 1]!; r++) {
      const edge = retainerEdge[r]!;
      if (snapshot.edgeTypeOf(edge) !== "internal") continue;
      const name = snapshot.edgeNameOf(edge);
      if (name === "reactions_or_result") return retainerNode[r]!;
      if (name === "next") next = retainerNode[r]!;
    }
    if (next < 0) return undefined;
    at = next;
  }
  return undefined;
}

/** The functions and suspended calls that run in a scope: its retainers by `context` edges. */
function scopeHolders(snapshot: HeapSnapshot, context: number): number[] {
  const { firstRetainer, retainerEdge, retainerNode } = snapshot.retainers;
  const holders: number[] = [];
  for (let r = firstRetainer[context]!; r < firstRetainer[context + 1]!; r++) {
    const edge = retainerEdge[r]!;
    if (snapshot.edgeTypeOf(edge) === "internal" && snapshot.edgeNameOf(edge) === "context") {
      holders.push(retainerNode[r]!);
    }
  }
  return holders;
}

/** Whether `from` has an edge to `to` that `accept` takes (an edge index). */
function hasEdgeTo(
  snapshot: HeapSnapshot,
  from: number,
  to: number,
  accept: (edge: number) => boolean,
): boolean {
  for (let e = snapshot.firstEdge[from]!, end = snapshot.firstEdge[from + 1]!; e < end; e++) {
    if (snapshot.edgeTargetOf(e) === to && accept(e)) return true;
  }
  return false;
}

/** Whether one of heapler's markers is an object's property that holds `to`. */
function heldByMarker(snapshot: HeapSnapshot, from: number, to: number): boolean {
  return hasEdgeTo(
    snapshot,
    from,
    to,
    (e) =>
      snapshot.edgeTypeOf(e) === "property" && snapshot.edgeNameOf(e).startsWith(MARKER_PREFIX),
  );
}

const globalObjects = new WeakMap<HeapSnapshot, Set<number>>();

/** The global objects: what the root holds by shortcut edges (V8; none in Bun's snapshots). */
function globals(snapshot: HeapSnapshot): Set<number> {
  let found = globalObjects.get(snapshot);
  if (found !== undefined) return found;
  found = new Set();
  const root = snapshot.root;
  for (let e = snapshot.firstEdge[root]!; e < snapshot.firstEdge[root + 1]!; e++) {
    if (snapshot.edgeTypeOf(e) === "shortcut") found.add(snapshot.edgeTargetOf(e));
  }
  globalObjects.set(snapshot, found);
  return found;
}

function record(snapshot: HeapSnapshot, ordinal: number, edge: string): NodeRecord {
  const object = snapshot.node(ordinal).toObject();
  const script = object.className === "system / Context"
    ? scopeScript(snapshot, ordinal)
    : undefined;
  return script === undefined ? { ...object, edge } : { ...object, edge, script };
}

/**
 * Lays a tree out as Pympler's `StreamBrowser`: a node's first child on its line after `-+-`
 * (`--` for an only child), the others below after `+-` under `|` columns, and a separator line
 * after the last child of a branching node.
 *
 * @param tree The tree.
 * @param options `maxdepth` and `strFunc`.
 * @returns The lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTree } from "heapler/refbrowser";
 * const leaf = (name: string) => ({ record: { id: 0, type: "object", className: name, name, selfSize: 0, edgeCount: 0, edge: "" }, children: [] });
 * const tree = { ...leaf("root"), children: [{ ...leaf("only"), children: [leaf("leaf")] }] };
 * assert(formatTree(tree).join("\n") === "root--only--leaf");
 * ```
 */
export function formatTree(
  tree: RefNode,
  options: { maxdepth?: number; strFunc?: (record: NodeRecord) => string } = {},
): string[] {
  const { maxdepth = 3, strFunc = defaultStrFunc } = options;
  const lines: string[] = [];
  const text = (node: RefNode | string) => typeof node === "string" ? node : strFunc(node.record);
  // Frames of an explicit stack instead of recursion: [node, prefix, carryon, depth, next child].
  type Frame = {
    node: RefNode | string;
    prefix: string;
    carryon: string;
    depth: number;
    next: number;
  };
  const frames: Frame[] = [{ node: tree, prefix: "", carryon: "", depth: 0, next: -1 }];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    const { node, depth } = frame;
    const children = typeof node === "string" ? [] : node.children;
    if (frame.next === -1) {
      const label = text(node);
      frame.prefix += label;
      frame.carryon += " ".repeat(label.length);
      if (depth >= maxdepth || children.length === 0) {
        lines.push(frame.prefix);
        frames.pop();
        continue;
      }
      frame.prefix += "-";
      frame.carryon += " ";
      if (children.length > 1) {
        frame.prefix += "+";
        frame.carryon += "|";
      }
      frame.prefix += "-";
      frame.carryon += " ";
      frame.next = 0;
    }
    const b = frame.next;
    if (b >= children.length) {
      if (children.length > 1 && frame.carryon.trim() !== "") {
        lines.push(frame.carryon.slice(0, -2).trimEnd());
      }
      frames.pop();
      continue;
    }
    frame.next++;
    let prefix = frame.prefix;
    if (b > 0) {
      prefix = frame.carryon.slice(0, -2) + "+-";
      if (b === children.length - 1) frame.carryon = frame.carryon.slice(0, -2) + "  ";
    }
    frames.push({ node: children[b]!, prefix, carryon: frame.carryon, depth: depth + 1, next: -1 });
  }
  return lines;
}

/** The common part of the browsers: the value, the options, and the tree from a snapshot. */
export class RefBrowser {
  readonly #root: unknown;
  protected readonly options: BrowserOptions;

  /**
   * @param root The value whose referrers are shown.
   * @param options Depth, text, repeat.
   */
  constructor(root: unknown, options: BrowserOptions = {}) {
    this.#root = root;
    this.options = options;
  }

  /**
   * Takes a snapshot and builds the referrer tree of the value.
   *
   * @returns The tree.
   * @throws {TypeError} If the value is not in the heap (a small integer, `true`).
   */
  async getTree(): Promise<RefNode> {
    // The browser itself and the list handed to the snapshot hold the value too: they are hidden.
    const values: unknown[] = [this.#root, this];
    values.push(values);
    const { snapshot, ordinals } = await snapshotWithValues(values);
    if (ordinals[0]! < 0) {
      throw new TypeError("Cannot browse referrers of a value that is not a heap object");
    }
    return referrerTree(snapshot, ordinals[0]!, { ...this.options, hidden: ordinals.slice(1) });
  }

  /** The tree's lines (see {@linkcode formatTree}). */
  protected async lines(tree?: RefNode): Promise<string[]> {
    return formatTree(tree ?? await this.getTree(), {
      ...this.options,
      maxdepth: treeDefaults(this.options).maxdepth,
    });
  }
}

/** Prints the referrer tree to a stream (standard output by default). */
export class ConsoleBrowser extends RefBrowser {
  /**
   * Prints the tree.
   *
   * @param tree A tree from `getTree()`, or a fresh one.
   */
  async printTree(tree?: RefNode): Promise<void> {
    const stream = this.options.stream ?? stdout;
    stream.write((await this.lines(tree)).join("\n") + "\n");
  }
}

/** Writes the referrer tree to a file, atomically. */
export class FileBrowser extends RefBrowser {
  /**
   * Writes the tree.
   *
   * @param path The file.
   * @param tree A tree from `getTree()`, or a fresh one.
   */
  async printTree(path: string, tree?: RefNode): Promise<void> {
    await writeFileAtomic(path, (await this.lines(tree)).join("\n") + "\n");
  }
}
