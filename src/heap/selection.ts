/**
 * Which nodes of a snapshot heapler's views count, decided once for all of them (summary,
 * muppy, trackers, leaks, referrer trees, graphs, the web front end): what heapler itself holds
 * is left out, and with `programOnly` so is the engine's own structure and what the root does not
 * reach.
 *
 * @module
 */
import { pathFromRoot, shortestPathTree } from "../graph/mod.ts";
import { HeapEdge, type HeapSnapshot } from "./heap_snapshot.ts";

/**
 * The property key under which heapler keeps everything it holds in the running program
 * (markers, stored summaries), so that it can tell its own objects from the program's.
 */
export const HEAPLER_HOLDER_KEY = "__heapler_holder__";

/** The holder's property under which the values heapler handed out stand during a snapshot. */
export const HEAPLER_MADE_KEY = "made";

/** The holder's property naming the URL prefix of heapler's own source files. */
export const HEAPLER_SOURCE_KEY = "source";

/** The holder's property listing source files under that prefix that are a program (the demo's). */
export const HEAPLER_PROGRAM_KEY = "program";

/** Node types of things the program made, as opposed to engine and embedder structure. */
const PROGRAM_TYPES = new Set([
  "object",
  "closure",
  "regexp",
  "string",
  "concatenated string",
  "sliced string",
  "symbol",
  "bigint",
]);

/**
 * Whether a node is something the program made (an object, function, string…) rather than
 * engine or embedder structure (`(system)`, code, shapes, internal arrays, native and synthetic
 * nodes, whose ids are not stable either).
 *
 * @param snapshot The snapshot.
 * @param ordinal The node.
 * @returns True for program objects.
 */
export function isProgramObject(snapshot: HeapSnapshot, ordinal: number): boolean {
  return PROGRAM_TYPES.has(snapshot.typeOf(ordinal));
}

/** Which nodes a view counts. */
export interface Selection {
  /** Count what heapler itself holds. @default false */
  includeHeapler?: boolean;
  /**
   * Count only what the program made and holds (objects, functions, strings, symbols, bigints
   * the root reaches), leaving out the engine's own structures (code, hidden classes,
   * feedback), which change as code is compiled and optimised rather than as the program
   * allocates, and what only weak references hold. @default false
   */
  programOnly?: boolean;
  /**
   * With `programOnly`, count the program's objects the root no longer reaches too: garbage
   * awaiting collection, as the garbage graph draws it. @default false
   */
  unreachable?: boolean;
}

const selections = new WeakMap<HeapSnapshot, Map<string, Uint8Array>>();

/**
 * The nodes a view counts, one byte per node (1: counted): objects as DevTools lists them
 * (`HeapSnapshot.isObject`), without heapler's own unless asked, and with `programOnly` only the
 * program's objects the root reaches. Computed once per snapshot and selection.
 *
 * @param snapshot The snapshot.
 * @param selection Which nodes.
 * @returns One byte per node.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectedNodes } from "./internal.ts";
 * import { HeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * const snapshot = await HeapSnapshot.parse(takeHeapSnapshot());
 * const all = selectedNodes(snapshot), program = selectedNodes(snapshot, { programOnly: true });
 * assert(program.every((counted, node) => counted === 0 || all[node] === 1));
 * ```
 */
export function selectedNodes(snapshot: HeapSnapshot, selection: Selection = {}): Uint8Array {
  const { includeHeapler = false, programOnly = false, unreachable = false } = selection;
  const key = `${includeHeapler} ${programOnly} ${unreachable}`;
  let cached = selections.get(snapshot);
  if (cached === undefined) selections.set(snapshot, cached = new Map());
  const found = cached.get(key);
  if (found !== undefined) return found;
  const owned = includeHeapler ? undefined : heaplerOwned(snapshot);
  const reach = programOnly && !unreachable ? reachedNodes(snapshot, includeHeapler) : undefined;
  const selected = new Uint8Array(snapshot.nodeCount);
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (owned?.[node] === 1 || !snapshot.isObject(node)) continue;
    if (programOnly && !isProgramObject(snapshot, node)) continue;
    if (reach !== undefined && reach[node] !== 1) continue;
    selected[node] = 1;
  }
  cached.set(key, selected);
  return selected;
}

/**
 * The bytes a view shows for each node of a selection. With `programOnly`, each object's own size
 * plus the storage only it holds: its properties and elements stores, its Map, Set or WeakMap hash
 * table (Bun: the storage cell of its Map or Set), so a growing Map grows in bytes on every
 * runtime. Engine arrays of code, feedback and shapes stay out: they come and go as code is
 * optimised, not as the program allocates. Otherwise DevTools' shallow sizes
 * ({@linkcode HeapSnapshot.selfSizes}).
 *
 * @param snapshot The snapshot.
 * @param selection As for {@linkcode selectedNodes}.
 * @returns One size per node.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sizesOf } from "./internal.ts";
 * import { snapshotWithValues } from "heapler/heap";
 * const big = new Map(Array.from({ length: 1000 }, (_, i) => [i, i]));
 * const { snapshot, ordinals: [map] } = await snapshotWithValues([big]);
 * assert(sizesOf(snapshot, { programOnly: true })[map!]! > 1000 * 8);
 * ```
 */
export function sizesOf(snapshot: HeapSnapshot, selection: Selection = {}): ArrayLike<number> {
  return selection.programOnly ? storageSizes(snapshot) : snapshot.selfSizes;
}

/**
 * Whether an object is one the engine reshapes as code runs: a prototype (a function's
 * `prototype`, or one of the engine's initial prototypes), whose properties store V8 switches
 * between layouts, or an allocation site's boilerplate (`transition_info`), whose elements store
 * it shares with the literals made from it and then takes back. Their storage is left out of live
 * sizes.
 */
function isEngineTemplate(snapshot: HeapSnapshot, node: number): boolean {
  const { firstRetainer, retainerEdge } = snapshot.retainers;
  for (let r = firstRetainer[node]!; r < firstRetainer[node + 1]!; r++) {
    const name = snapshot.edgeNameOf(retainerEdge[r]!);
    if (name === "prototype" || name.endsWith("_prototype") || name === "transition_info") {
      return true;
    }
  }
  return false;
}

/** The V8 internal edges from an object to the storage it owns. */
const STORAGE_EDGES = new Set(["elements", "properties", "table"]);

/**
 * The object that owns a V8 storage array (its properties, elements or hash table: the array's
 * one retainer, by one of those internal edges), with the edge's name; undefined for any other
 * node.
 *
 * @param snapshot The snapshot.
 * @param node The node.
 * @returns The owner and `elements`, `properties` or `table`.
 */
export function storageOwner(
  snapshot: HeapSnapshot,
  node: number,
): { from: number; name: string } | undefined {
  if (snapshot.typeOf(node) !== "array") return undefined;
  const { firstRetainer, retainerEdge, retainerNode } = snapshot.retainers;
  if (firstRetainer[node + 1]! - firstRetainer[node]! !== 1) return undefined;
  const edge = retainerEdge[firstRetainer[node]!]!;
  const name = snapshot.edgeNameOf(edge);
  if (snapshot.edgeTypeOf(edge) !== "internal" || !STORAGE_EDGES.has(name)) return undefined;
  return { from: retainerNode[firstRetainer[node]!]!, name };
}

/**
 * The script whose functions run in a scope (a `system / Context`: a module's top level, or a
 * function's), read from a function that closes over it; undefined when none is in the snapshot.
 *
 * @param snapshot The snapshot.
 * @param context The scope's node.
 * @returns The script's URL or path.
 */
export function scopeScript(snapshot: HeapSnapshot, context: number): string | undefined {
  const { firstRetainer, retainerEdge, retainerNode } = snapshot.retainers;
  const closure = snapshot.nodeTypes.indexOf("closure");
  for (let r = firstRetainer[context]!; r < firstRetainer[context + 1]!; r++) {
    const from = retainerNode[r]!;
    if (snapshot.typeIndexOf(from) !== closure) continue;
    if (snapshot.edgeNameOf(retainerEdge[r]!) !== "context") continue;
    const script = functionScript(snapshot, from);
    if (script !== undefined && script !== "") return script;
  }
  return undefined;
}

const storages = new WeakMap<HeapSnapshot, Float64Array>();

function storageSizes(snapshot: HeapSnapshot): Float64Array {
  let sizes = storages.get(snapshot);
  if (sizes !== undefined) return sizes;
  sizes = Float64Array.from(snapshot.raw.selfSizes);
  const { firstRetainer } = snapshot.retainers;
  const { firstEdge, edgeTarget } = snapshot.graph;
  const typeIndex = (name: string) => snapshot.nodeTypes.indexOf(name);
  const [object, regexp] = [typeIndex("object"), typeIndex("regexp")];
  const internal = snapshot.edgeTypes.indexOf("internal");
  // Bun's storage cells are `hidden` behind unnamed edges; V8's stores are `array`s, named.
  const jsc = !snapshot.stableIds;
  const store = typeIndex(jsc ? "hidden" : "array");
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const owner = snapshot.typeIndexOf(node);
    if (owner !== object && owner !== regexp) continue;
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
      const to = edgeTarget[e]!;
      if (snapshot.edgeTypeIndexOf(e) !== internal || snapshot.typeIndexOf(to) !== store) continue;
      if (firstRetainer[to + 1]! - firstRetainer[to]! !== 1) continue; // shared
      const name = snapshot.edgeNameOf(e);
      if (jsc ? name !== "" : !STORAGE_EDGES.has(name)) continue;
      if (!isEngineTemplate(snapshot, node)) sizes[node]! += snapshot.raw.selfSizes[to]!;
    }
  }
  storages.set(snapshot, sizes);
  return sizes;
}

const reached = new WeakMap<HeapSnapshot, Uint8Array[]>();

/**
 * Objects without a retainer in a Bun snapshot that nothing of the program holds: the running
 * call's frames and promises, and heapler's snapshots kept as garbage by the conservative scan.
 */
const NOT_HELD = new Set([
  "Promise",
  "AsyncFunctionGenerator",
  "AsyncGenerator",
  "Generator",
  "Callee",
  "HeapSnapshot",
  "HeapSnapshotParser",
]);

/**
 * The nodes the program holds strongly: those the root reaches over essential edges, not through
 * compiled code (what only code holds, its constant strings and literal boilerplates, is the
 * engine's: it comes as code warms up and goes when the engine flushes it) nor through the
 * handles of the call taking the snapshot, nor, unless `includeHeapler`, through heapler's own
 * objects. Bun's
 * snapshots leave out the references of Map and Set entries and of module variables, so the
 * program's objects held there have no retainer at all though they are alive (the snapshot is
 * taken after a collection); there they count as held, with what they reach.
 *
 * @param snapshot The snapshot.
 * @param includeHeapler Whether heapler's own objects hold what they reach.
 * @returns One byte per node, 1 for held.
 */
export function reachedNodes(snapshot: HeapSnapshot, includeHeapler = false): Uint8Array {
  let cached = reached.get(snapshot);
  if (cached === undefined) reached.set(snapshot, cached = []);
  let marks = cached[includeHeapler ? 1 : 0];
  if (marks !== undefined) return marks;
  marks = new Uint8Array(snapshot.nodeCount);
  const owned = heaplerOwned(snapshot); // also finds the program's suspended calls
  // Nodes never entered: compiled code, the snapshot call's handles, heapler's own objects.
  const barred = includeHeapler ? new Uint8Array(snapshot.nodeCount) : Uint8Array.from(owned);
  const code = snapshot.nodeTypes.indexOf("code");
  const synthetic = snapshot.nodeTypes.indexOf("synthetic");
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const type = snapshot.typeIndexOf(node);
    if (type === code || (type === synthetic && STACK_ROOTS.has(snapshot.nameOf(node)))) {
      barred[node] = 1;
    }
  }
  const { firstEdge, edgeTarget } = snapshot.graph;
  const essential = snapshot.essentialEdges;
  const internal = snapshot.edgeTypes.indexOf("internal");
  const stack: number[] = [];
  const walk = () => {
    while (stack.length > 0) {
      const node = stack.pop()!;
      for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
        const to = edgeTarget[e]!;
        if (essential[e] !== 1 || marks[to] === 1 || barred[to] === 1) continue;
        const isInternal = snapshot.edgeTypeIndexOf(e) === internal;
        if (isInternal && ENGINE_EDGES.has(snapshot.edgeNameOf(e))) continue;
        marks[to] = 1;
        stack.push(to);
      }
    }
  };
  // The program's suspended calls waiting on heapler hang from heapler's promises: start there too.
  for (const start of programRootsOf.get(snapshot) ?? [snapshot.root]) {
    marks[start] = 1;
    stack.push(start);
  }
  walk();
  if (!snapshot.stableIds) {
    // Bun: an unreached object without a retainer is held by what the snapshot does not
    // describe (Map and Set entries, module variables); everything it reaches is held too. Not
    // strings (the engine's table of property names holds many), nor the frames and promises of
    // the call taking the snapshot, nor heapler's own snapshots, which JavaScriptCore's
    // conservative stack scan can keep alive as garbage.
    const { firstRetainer } = snapshot.retainers;
    for (let node = 0; node < snapshot.nodeCount; node++) {
      if (marks[node] === 1 || firstRetainer[node] !== firstRetainer[node + 1]) continue;
      if (snapshot.typeOf(node) !== "object" || NOT_HELD.has(snapshot.nameOf(node))) continue;
      marks[node] = 1;
      stack.push(node);
    }
    walk();
  }
  cached[includeHeapler ? 1 : 0] = marks;
  return marks;
}

const owners = new WeakMap<HeapSnapshot, Uint8Array>();
/** Internal edges to what the engine keeps for running code: feedback and literal templates. */
const ENGINE_EDGES = new Set(["feedback_cell", "feedback_vector", "transition_info"]);

/** The root and the program's suspended calls, found with heapler's own objects. */
const programRootsOf = new WeakMap<HeapSnapshot, readonly number[]>();

/**
 * Marks what heapler itself holds: what only heapler's holder object (the value of
 * {@linkcode HEAPLER_HOLDER_KEY}) or the stack keeps reachable from the root (the snapshot was
 * taken inside heapler's own call), counting the values heapler handed to the program
 * (standing under the holder's `made` object during the snapshot, see `snapshotProgram`) as
 * heapler's even where the program holds them too. Without a holder, nothing is heapler's.
 *
 * @returns One byte per node, 1 for heapler's own.
 */
export function heaplerOwned(snapshot: HeapSnapshot): Uint8Array {
  let owned = owners.get(snapshot);
  if (owned === undefined) owners.set(snapshot, owned = computeHeaplerOwned(snapshot));
  return owned;
}

function computeHeaplerOwned(snapshot: HeapSnapshot): Uint8Array {
  const owned = new Uint8Array(snapshot.nodeCount);
  const synthetic = snapshot.nodeTypes.indexOf("synthetic");
  const [holder = -1] = snapshot.findByPropertyKeys([HEAPLER_HOLDER_KEY]);
  if (holder < 0) return owned;
  const { firstEdge, edgeTarget } = snapshot.graph;
  const essential = snapshot.essentialEdges;
  const blocked = new Uint8Array(snapshot.nodeCount);
  blocked[holder] = 1;
  let sourcePrefix: string | undefined;
  const programSources = new Set<string>();
  for (let e = firstEdge[holder]!; e < firstEdge[holder + 1]!; e++) {
    const name = snapshot.edgeNameOf(e);
    if (name === HEAPLER_SOURCE_KEY) sourcePrefix = snapshot.nameOf(edgeTarget[e]!);
    if (name === HEAPLER_PROGRAM_KEY) {
      const list = edgeTarget[e]!;
      for (let p = firstEdge[list]!; p < firstEdge[list + 1]!; p++) {
        if (snapshot.edgeTypeOf(p) === "element") {
          programSources.add(snapshot.nameOf(edgeTarget[p]!));
        }
      }
    }
    if (name !== HEAPLER_MADE_KEY) continue;
    const made = edgeTarget[e]!;
    for (let m = firstEdge[made]!; m < firstEdge[made + 1]!; m++) {
      if (snapshot.edgeTypeOf(m) === "property") blocked[edgeTarget[m]!] = 1;
    }
  }
  // A documentation example (`mod.ts#12-20.ts` under `deno test --doc`) is the program's.
  const isHeaplers = (script: string | undefined) =>
    sourcePrefix !== undefined && script !== undefined && script.startsWith(sourcePrefix) &&
    !script.includes("#") && !programSources.has(script);
  const closure = snapshot.nodeTypes.indexOf("closure");
  // The snapshot is taken inside heapler's own calls: what only the running microtask or the
  // snapshot generator holds is heapler's, and so are heapler's suspended async frames. The
  // program's frames waiting on heapler are the program's.
  const skipped = new Set<number>();
  const programRoots = [snapshot.root];
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const type = snapshot.typeIndexOf(node);
    if (type === synthetic) {
      if (STACK_ROOTS.has(snapshot.nameOf(node))) blocked[node] = 1;
      for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
        const name = snapshot.edgeNameOf(e);
        if (name === "current_microtask" || name.endsWith("/ IdentityMapBase")) skipped.add(e);
      }
      continue;
    }
    // heapler's functions are heapler's: what only they hold (the front end's state in its
    // handler's scope, module caches) is not the program's.
    if (type === closure) {
      if (isHeaplers(functionScript(snapshot, node))) blocked[node] = 1;
      continue;
    }
    const script = frameScript(snapshot, node);
    if (script === undefined) continue;
    if (isHeaplers(script)) blocked[node] = 1;
    else programRoots.push(node);
  }
  const stack = new Uint32Array(snapshot.nodeCount);
  const walk = (starts: readonly number[], mark: Uint8Array, skip: Uint8Array) => {
    let top = 0;
    for (const start of starts) {
      if (mark[start] === 1 || (skip[start] === 1 && start !== starts[0])) continue;
      mark[start] = 1;
      stack[top++] = start;
    }
    while (top > 0) {
      const node = stack[--top]!;
      for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
        if (essential[e] !== 1 || skipped.has(e)) continue;
        const to = edgeTarget[e]!;
        if (mark[to] === 1 || skip[to] === 1) continue;
        mark[to] = 1;
        stack[top++] = to;
      }
    }
  };
  programRootsOf.set(snapshot, programRoots);
  const program = new Uint8Array(snapshot.nodeCount);
  walk(programRoots, program, blocked);
  const heaplerRoots: number[] = [];
  blocked.forEach((isBlocked, node) => {
    if (isBlocked === 1 && program[node] !== 1) heaplerRoots.push(node);
  });
  for (const start of heaplerRoots) walk([start], owned, program);
  return owned;
}

/**
 * The script URL of the function an async frame (a generator object, with its internal
 * `function` edge) runs, or undefined for a node that is not such a frame.
 */
function frameScript(snapshot: HeapSnapshot, node: number): string | undefined {
  if (snapshot.typeOf(node) !== "object") return undefined;
  const edge = edgeNamed(snapshot, node, "function");
  return edge < 0 ? undefined : functionScript(snapshot, snapshot.edgeTargetOf(edge));
}

/**
 * The script URL of a function (a closure node), or undefined where the snapshot lacks it.
 *
 * @param snapshot The snapshot.
 * @param node The function.
 * @returns The script's URL or path.
 */
export function functionScript(snapshot: HeapSnapshot, node: number): string | undefined {
  const shared = edgeNamed(snapshot, node, "shared");
  if (shared < 0) return undefined;
  const sharedNode = snapshot.edgeTargetOf(shared);
  let script = edgeNamed(snapshot, sharedNode, "script");
  if (script < 0) script = edgeNamed(snapshot, sharedNode, "script_or_debug_info");
  if (script < 0) return undefined;
  const name = edgeNamed(snapshot, snapshot.edgeTargetOf(script), "name");
  return name < 0 ? undefined : snapshot.nameOf(snapshot.edgeTargetOf(name));
}

/**
 * A node's internal edge of that name (`shared`, `map`, `descriptors`…), or -1.
 *
 * @param snapshot The snapshot.
 * @param node The node.
 * @param name The edge's name.
 * @returns The edge's index.
 */
export function edgeNamed(snapshot: HeapSnapshot, node: number, name: string): number {
  for (let e = snapshot.firstEdge[node]!, end = snapshot.firstEdge[node + 1]!; e < end; e++) {
    if (snapshot.edgeTypeOf(e) === "internal" && snapshot.edgeNameOf(e) === name) return e;
  }
  return -1;
}

/**
 * The shortest retaining path from the root to a node through the program's objects only:
 * heapler's own (the markers that located a value, its stored summaries) are never on it,
 * though they are often the shortest way to a value heapler was handed.
 *
 * @param snapshot The snapshot.
 * @param ordinal The node.
 * @returns The edges, root side first; empty for the root or a node only heapler holds.
 */
export function programRetainingPath(snapshot: HeapSnapshot, ordinal: number): HeapEdge[] {
  const owned = heaplerOwned(snapshot);
  const essential = snapshot.essentialEdges;
  const { firstEdge, edgeTarget } = snapshot.graph;
  const allowed = new Uint8Array(essential.length);
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (owned[node] === 1) continue;
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
      if (essential[e] === 1 && owned[edgeTarget[e]!] !== 1) allowed[e] = 1;
    }
  }
  const tree = shortestPathTree(snapshot.graph, [snapshot.root], allowed);
  return pathFromRoot(tree, ordinal).map((edge) =>
    new HeapEdge(snapshot, edge, tree.parentNode[edgeTarget[edge]!]!)
  );
}

/**
 * V8's GC sub-roots for what the snapshot generator itself holds. `(Stack roots)` is not one of
 * them: it also holds the locals of the program's suspended async functions.
 */
const STACK_ROOTS = new Set(["(Handle scope)", "(Identity map)"]);
