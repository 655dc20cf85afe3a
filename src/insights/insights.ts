import {
  edgeNamed,
  functionScript,
  heaplerOwned,
  scopeScript,
  selectedNodes,
  sizesOf,
  storageOwner,
} from "../heap/internal.ts";
import type { HeapSnapshot } from "../heap/mod.ts";
import { runInNewContext } from "node:vm";

/** Options of {@linkcode insights}. */
export interface InsightOptions {
  /** Findings listed per insight (the totals count them all). @default 10 */
  limit?: number;
  /** Count heapler's own objects too. @default false */
  includeHeapler?: boolean;
}

/** One analysis of a snapshot: what it found, in total and the largest findings. */
export interface Insight<T> {
  /** What the finding means and what to do about it, in a sentence or two. */
  explanation: string;
  /** The bytes at stake over all findings: what fixing every one would save or free. */
  bytes: number;
  /** How many findings there are in all. */
  count: number;
  /** The largest findings, by bytes at stake. */
  items: T[];
}

/** Who holds some of a finding's objects: `Customer.email`, `Map entry`, `Array element`. */
export interface Holder {
  /** The holder's type and the reference: `Customer.email`. */
  holder: string;
  /** How many of the objects it holds. */
  objects: number;
}

/** A string value held in several copies. */
export interface DuplicatedString {
  /** The value (the snapshot keeps the first 1,024 characters of longer strings). */
  value: string;
  /** How many copies are held. */
  copies: number;
  /** The bytes of all copies. */
  bytes: number;
  /** The bytes one shared copy would save: all copies but one. */
  wasted: number;
  /** Ids of some copies, for `heapler refs --id`. */
  ids: number[];
  /** Who holds the copies, most first. */
  holders: Holder[];
}

/** Empty collections of one kind. */
export interface EmptyCollections {
  /** `Map`, `Set` or `Array`. */
  kind: string;
  /** How many are empty. */
  count: number;
  /** Their bytes. */
  bytes: number;
  /** Ids of some of them. */
  ids: number[];
  /** Who holds them, most first. */
  holders: Holder[];
}

/** An array whose storage has far more slots than its elements use. */
export interface OversizedArray {
  /** The array's id. */
  id: number;
  /** Slots its storage has. */
  capacity: number;
  /** Slots its elements use: up to its last element the snapshot shows. */
  used: number;
  /** The bytes of the slots beyond them. */
  spare: number;
  /** Who holds the array. */
  holders: Holder[];
}

/** An array whose elements V8 keeps in a hash table: its indices are too far apart for a list. */
export interface SparseArray {
  /** The array's id. */
  id: number;
  /** Elements the snapshot shows. */
  elements: number;
  /** Its highest index holding one. */
  last: number;
  /** The bytes of its hash table. */
  storage: number;
  /** What the table takes beyond a list of the same elements. */
  spare: number;
  /** Who holds the array. */
  holders: Holder[];
}

/** A Map, Set or array holding entries the engine marked detached (DOM nodes off their page). */
export interface StaleCollection {
  /** The collection's id. */
  id: number;
  /** `Map`, `Set` or `Array`. */
  kind: string;
  /** Its entries that are objects. */
  entries: number;
  /** How many of them are detached. */
  detached: number;
  /** The bytes the detached entries retain: what letting them go would free. */
  retained: number;
  /** Who holds the collection. */
  holders: Holder[];
}

/** Plain objects with the same keys in the same order. */
export interface ObjectShape {
  /** DevTools' name for the shape: `{id, name, email}`. */
  name: string;
  /** The keys, in order. */
  keys: string[];
  /** How many objects have it. */
  count: number;
  /** Their bytes. */
  bytes: number;
  /**
   * What they would take laid out as the smallest of them is (as instances of a class are, with
   * their fields in the object): the bytes beyond that. Objects built by adding keys one by one,
   * or given more keys than their literal, carry spare slots or a separate properties store.
   */
  saving: number;
  /** Ids of some of them. */
  ids: number[];
  /** Who holds them, most first. */
  holders: Holder[];
}

/** A scope that functions close over, and what it keeps alive. */
export interface ClosureScope {
  /** The id of the scope (`system / Context`). */
  id: number;
  /** Bytes freed if the scope went: what only it holds. */
  retained: number;
  /** Its variables, as the snapshot names them. */
  variables: string[];
  /** Names of the functions that close over it (anonymous ones as `(anonymous)`). */
  functions: string[];
  /** How many functions close over it. */
  closures: number;
  /** The script the functions come from, where the snapshot says. */
  script?: string;
}

/** A property the program put on the global object. */
export interface GlobalVariable {
  /** The property's name. */
  name: string;
  /** The value's id. */
  id: number;
  /** The value's type, as summaries name it. */
  type: string;
  /** Bytes freed if the property went. */
  retained: number;
}

/** What {@linkcode insights} finds in one snapshot. */
export interface Insights {
  duplicatedStrings: Insight<DuplicatedString>;
  emptyCollections: Insight<EmptyCollections>;
  oversizedArrays: Insight<OversizedArray>;
  sparseArrays: Insight<SparseArray>;
  staleCollections: Insight<StaleCollection>;
  objectShapes: Insight<ObjectShape>;
  closureScopes: Insight<ClosureScope>;
  globals: Insight<GlobalVariable>;
}

/** Ids kept per finding. */
const IDS = 5;
/** Holders kept per finding. */
const HOLDERS = 3;
/** Keys shown in a shape's name before `…`. */
const SHAPE_KEYS = 6;
/** Scripts of the runtime itself, whose scopes are not the program's. */
const RUNTIME_SCRIPT = /^(node:|ext:|internal[:/]|builtin:|deno:|bun:)/;

/**
 * Where a snapshot's memory is wasted, beyond leaks: strings held in many identical copies, empty
 * collections kept in numbers, arrays whose storage is far larger than their elements, arrays
 * kept as hash tables, collections holding detached DOM nodes, plain objects of one shape that a class would lay out smaller,
 * scopes that closures keep alive, and what the program put on the global object. Only the
 * program's objects count (as in summaries: what the root holds, without heapler's own or the
 * engine's code and shapes).
 *
 * @param snapshot The snapshot.
 * @param options How many findings to list.
 * @returns One {@linkcode Insight} per analysis.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { insights } from "heapler/insights";
 * import { HeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * // The same text read 1,000 times, as from a file or the network: 1,000 copies.
 * const copies = Array.from({ length: 1000 }, () => ["status: waiting for the", "payment provider"].join(" "));
 * const found = insights(await HeapSnapshot.parse(takeHeapSnapshot()), { limit: 100 });
 * const status = found.duplicatedStrings.items.find(({ value }) => value.startsWith("status: waiting"));
 * assert(status !== undefined && status.copies >= 1000);
 * assert(copies.length === 1000);
 * ```
 */
export function insights(snapshot: HeapSnapshot, options: InsightOptions = {}): Insights {
  const { limit = 10, includeHeapler = false } = options;
  const selection = { programOnly: true, includeHeapler };
  const counted = selectedNodes(snapshot, selection);
  const sizes = sizesOf(snapshot, selection);
  const context = { snapshot, counted, sizes, limit };
  return {
    duplicatedStrings: duplicatedStrings(context),
    emptyCollections: emptyCollections(context),
    oversizedArrays: oversizedArrays(context),
    sparseArrays: sparseArrays(context),
    staleCollections: staleCollections(context),
    objectShapes: objectShapes(context),
    closureScopes: closureScopes(context, includeHeapler),
    globals: globalVariables(context),
  };
}

interface Context {
  snapshot: HeapSnapshot;
  counted: Uint8Array;
  sizes: ArrayLike<number>;
  limit: number;
}

function duplicatedStrings(
  { snapshot, counted, sizes, limit }: Context,
): Insight<DuplicatedString> {
  const string = snapshot.nodeTypes.indexOf("string");
  // By value, through its index in the strings table (the engine writes each value once), then
  // by size: the snapshot cuts long values at 1,024 characters, and equal sizes tell copies of
  // one long string from different strings that start alike.
  const byName = new Map<number, number[]>();
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (counted[node] !== 1 || snapshot.typeIndexOf(node) !== string) continue;
    const name = snapshot.nameIndexOf(node);
    const group = byName.get(name);
    if (group === undefined) byName.set(name, [node]);
    else group.push(node);
  }
  const found: { nodes: number[]; bytes: number; wasted: number }[] = [];
  for (const sameName of byName.values()) {
    if (sameName.length < 2) continue;
    const bySize = new Map<number, number[]>();
    for (const node of sameName) {
      const group = bySize.get(sizes[node]!);
      if (group === undefined) bySize.set(sizes[node]!, [node]);
      else group.push(node);
    }
    for (const [size, nodes] of bySize) {
      if (nodes.length > 1) {
        found.push({ nodes, bytes: nodes.length * size, wasted: (nodes.length - 1) * size });
      }
    }
  }
  found.sort((a, b) => b.wasted - a.wasted);
  return {
    explanation:
      "Identical string values held in several copies (built at run time: read from files or the network, joined, sliced). Keeping one copy, e.g. through a Map from value to string, saves the rest.",
    bytes: found.reduce((sum, { wasted }) => sum + wasted, 0),
    count: found.length,
    items: found.slice(0, limit).map(({ nodes, bytes, wasted }) => ({
      value: snapshot.nameOf(nodes[0]!),
      copies: nodes.length,
      bytes,
      wasted,
      ids: idsOf(snapshot, nodes),
      holders: holdersOf(snapshot, nodes),
    })),
  };
}

function emptyCollections({ snapshot, counted, sizes, limit }: Context): Insight<EmptyCollections> {
  const explanation =
    "Maps, Sets and arrays with nothing in them, kept in numbers: each costs its header and an empty table. Making them when the first entry comes, or sharing one empty value, saves the bytes.";
  // Bun's snapshots show no Map or Set entries at all: every Map would look empty.
  if (!snapshot.stableIds) {
    return {
      explanation:
        `${explanation} (Not available on Bun's snapshots, which do not show collections' entries.)`,
      bytes: 0,
      count: 0,
      items: [],
    };
  }
  const byKind = new Map<string, number[]>();
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (counted[node] !== 1 || snapshot.typeOf(node) !== "object") continue;
    const kind = snapshot.classNameOf(node);
    if (kind !== "Map" && kind !== "Set" && kind !== "Array") continue;
    if (!isEmpty(snapshot, node, kind)) continue;
    const nodes = byKind.get(kind);
    if (nodes === undefined) byKind.set(kind, [node]);
    else nodes.push(node);
  }
  const items = [...byKind].map(([kind, nodes]) => ({
    kind,
    count: nodes.length,
    bytes: nodes.reduce((sum, node) => sum + sizes[node]!, 0),
    ids: idsOf(snapshot, nodes),
    holders: holdersOf(snapshot, nodes),
  })).filter(({ count }) => count > 1).sort((a, b) => b.bytes - a.bytes);
  return {
    explanation:
      `${explanation} (V8 does not write small integers into snapshots: a Map or Set of small integers only looks empty.)`,
    bytes: items.reduce((sum, { bytes }) => sum + bytes, 0),
    count: items.length,
    items: items.slice(0, limit),
  };
}

/** Spare slots an array's storage may have before it counts as oversized: V8 grows by half plus 16. */
const SPARE_SLOTS = 16;
/** The least bytes of spare slots worth a finding. */
const SPARE_BYTES = 1024;

function oversizedArrays({ snapshot, counted, limit }: Context): Insight<OversizedArray> {
  const explanation =
    "Arrays whose storage has more than twice the slots their elements use: made with new Array(n) and partly filled, or emptied by pop() and shift() without shrinking. Making them at the size they need, or copying what is left with slice(), frees the rest.";
  if (!snapshot.stableIds) {
    return {
      explanation:
        `${explanation} (Not available on Bun's snapshots, which do not show arrays' storage.)`,
      bytes: 0,
      count: 0,
      items: [],
    };
  }
  const tagged = pointerSize(snapshot);
  const found: { node: number; capacity: number; used: number; spare: number }[] = [];
  for (const { node, store, elements, last } of arraysWithStorage(snapshot, counted)) {
    // Small integers and holes leave no edge: only an array whose elements the snapshot shows,
    // from the first slot on without a gap, tells how many slots it uses.
    if (last !== elements - 1) continue;
    const capacity = (snapshot.raw.selfSizes[store]! - 2 * tagged) / tagged;
    const spare = (capacity - elements) * tagged;
    if (capacity > 2 * elements + SPARE_SLOTS && spare >= SPARE_BYTES) {
      found.push({ node, capacity, used: elements, spare });
    }
  }
  found.sort((a, b) => b.spare - a.spare);
  return {
    explanation:
      `${explanation} (The snapshot does not show small integers: an array of objects followed by small integers would look the same.)`,
    bytes: found.reduce((sum, { spare }) => sum + spare, 0),
    count: found.length,
    items: found.slice(0, limit).map(({ node, capacity, used, spare }) => ({
      id: snapshot.idOf(node),
      capacity,
      used,
      spare,
      holders: holdersOf(snapshot, [node]),
    })),
  };
}

/**
 * The program's arrays that hold elements the snapshot shows, in storage of their own (not a
 * literal's shared one): the storage, how many elements, and the highest index holding one.
 */
function* arraysWithStorage(
  snapshot: HeapSnapshot,
  counted: Uint8Array,
): Generator<{ node: number; store: number; elements: number; last: number }> {
  const { firstEdge, edgeTarget } = snapshot.graph;
  const elementType = snapshot.edgeTypes.indexOf("element");
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (counted[node] !== 1 || snapshot.classNameOf(node) !== "Array") continue;
    if (snapshot.typeOf(node) !== "object") continue;
    let store = -1;
    let elements = 0;
    let last = -1;
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
      if (snapshot.edgeTypeIndexOf(e) === elementType) {
        elements++;
        last = Math.max(last, Number(snapshot.edgeNameOf(e)));
      } else if (snapshot.edgeNameOf(e) === "elements") store = edgeTarget[e]!;
    }
    if (store < 0 || elements === 0) continue;
    if (storageOwner(snapshot, store)?.from !== node) continue;
    yield { node, store, elements, last };
  }
}

function sparseArrays({ snapshot, counted, limit }: Context): Insight<SparseArray> {
  const explanation =
    "Arrays whose indices are too far apart for a list (a[100000] = x on a short array, or a length set far beyond the elements): V8 keeps their elements in a hash table, some three slots per element and slower to read. A Map from index to value says what is meant; a dense array, filled from index 0, is smaller and faster.";
  if (!snapshot.stableIds) {
    return {
      explanation:
        `${explanation} (Not available on Bun's snapshots, which do not show arrays' storage.)`,
      bytes: 0,
      count: 0,
      items: [],
    };
  }
  const tagged = pointerSize(snapshot);
  const found: { node: number; elements: number; last: number; storage: number; spare: number }[] =
    [];
  for (const { node, store, elements, last } of arraysWithStorage(snapshot, counted)) {
    const storage = snapshot.raw.selfSizes[store]!;
    // A list holds its last index: storage with fewer slots than that is a hash table.
    if ((storage - 2 * tagged) / tagged >= last + 1) continue;
    const spare = storage - (2 + elements) * tagged;
    if (spare > 0) found.push({ node, elements, last, storage, spare });
  }
  found.sort((a, b) => b.spare - a.spare);
  return {
    explanation:
      `${explanation} (The snapshot does not show small integers: elements that are small integers count as spare.)`,
    bytes: found.reduce((sum, { spare }) => sum + spare, 0),
    count: found.length,
    items: found.slice(0, limit).map(({ node, elements, last, storage, spare }) => ({
      id: snapshot.idOf(node),
      elements,
      last,
      storage,
      spare,
      holders: holdersOf(snapshot, [node]),
    })),
  };
}

function staleCollections({ snapshot, counted, limit }: Context): Insight<StaleCollection> {
  const explanation =
    "Maps, Sets and arrays holding objects the engine marked detached: DOM nodes removed from their page that the collection alone keeps alive, with all they hold. Deleting them from the collection when they leave the page, or keeping them in a WeakMap, WeakSet or WeakRef, frees it.";
  let anyDetached = false;
  for (let node = 0; node < snapshot.nodeCount && !anyDetached; node++) {
    anyDetached = snapshot.isDetached(node);
  }
  if (!anyDetached) {
    return {
      explanation:
        `${explanation} (This snapshot has no detached objects: browsers mark their DOM nodes, and Node, Deno and Bun have none to mark.)`,
      bytes: 0,
      count: 0,
      items: [],
    };
  }
  const retained = snapshot.retainedSizes;
  const found: (Omit<StaleCollection, "id" | "holders"> & { node: number })[] = [];
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (counted[node] !== 1 || snapshot.typeOf(node) !== "object") continue;
    const kind = snapshot.classNameOf(node);
    if (kind !== "Map" && kind !== "Set" && kind !== "Array") continue;
    let entries = 0;
    let detached = 0;
    let bytes = 0;
    for (const entry of entryTargets(snapshot, node, kind)) {
      const type = snapshot.typeOf(entry);
      if (type !== "object" && type !== "native") continue;
      entries++;
      if (!snapshot.isDetached(entry)) continue;
      detached++;
      bytes += retained[entry]!;
    }
    if (detached > 0) found.push({ node, kind, entries, detached, retained: bytes });
  }
  found.sort((a, b) => b.retained - a.retained);
  return {
    explanation,
    bytes: found.reduce((sum, { retained }) => sum + retained, 0),
    count: found.length,
    items: found.slice(0, limit).map(({ node, ...item }) => ({
      id: snapshot.idOf(node),
      ...item,
      holders: holdersOf(snapshot, [node]),
    })),
  };
}

/** What a V8 Map, Set or Array holds: its elements, or the keys and values of its hash table. */
function entryTargets(snapshot: HeapSnapshot, node: number, kind: string): number[] {
  const { firstEdge, edgeTarget } = snapshot.graph;
  const targets: number[] = [];
  for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
    if (kind === "Array") {
      if (snapshot.edgeTypeOf(e) === "element") targets.push(edgeTarget[e]!);
    } else if (snapshot.edgeTypeOf(e) === "internal" && snapshot.edgeNameOf(e) === "table") {
      const table = edgeTarget[e]!;
      for (let t = firstEdge[table]!; t < firstEdge[table + 1]!; t++) {
        if (snapshot.edgeNameOf(t) !== "map") targets.push(edgeTarget[t]!);
      }
    }
  }
  return targets;
}

/** The engine's pointer size: 4 where V8 compresses pointers (a hidden class takes 40 bytes). */
function pointerSize(snapshot: HeapSnapshot): number {
  const map = snapshot.raw.strings.indexOf("system / Map"); // the table holds each string once
  if (map < 0) return 8;
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (snapshot.nameIndexOf(node) === map) return snapshot.raw.selfSizes[node]! < 64 ? 4 : 8;
  }
  return 8;
}

/**
 * Whether a V8 Map, Set or Array holds nothing the snapshot shows: an array without elements
 * (no store, or none of its own) or a hash table with no edge but the one to its hidden class.
 */
function isEmpty(snapshot: HeapSnapshot, node: number, kind: string): boolean {
  const { firstEdge, edgeTarget } = snapshot.graph;
  if (kind === "Array") {
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
      const type = snapshot.edgeTypeOf(e);
      if (type === "element") return false;
      if (type === "internal" && snapshot.edgeNameOf(e) === "elements") {
        // A store of its own, though empty of objects: numbers or holes, so not empty.
        if (storageOwner(snapshot, edgeTarget[e]!) !== undefined) return false;
      }
    }
    return true;
  }
  for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
    if (snapshot.edgeTypeOf(e) !== "internal" || snapshot.edgeNameOf(e) !== "table") continue;
    const table = edgeTarget[e]!;
    for (let t = firstEdge[table]!; t < firstEdge[table + 1]!; t++) {
      if (snapshot.edgeNameOf(t) !== "map") return false;
    }
    return true;
  }
  return false;
}

function objectShapes({ snapshot, counted, sizes, limit }: Context): Insight<ObjectShape> {
  const groups = new Map<string, number[]>();
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (counted[node] !== 1) continue;
    const key = shapeKey(snapshot, node);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [node]);
    else group.push(node);
  }
  const found: ObjectShape[] = [];
  for (const [key, nodes] of groups) {
    if (nodes.length < 2) continue;
    let bytes = 0, smallest = Infinity;
    for (const node of nodes) {
      bytes += sizes[node]!;
      smallest = Math.min(smallest, sizes[node]!);
    }
    found.push({
      name: shapeName(key),
      keys: key.split(KEY_SEPARATOR),
      count: nodes.length,
      bytes,
      saving: bytes - nodes.length * smallest,
      ids: idsOf(snapshot, nodes),
      holders: holdersOf(snapshot, nodes),
    });
  }
  found.sort((a, b) => b.bytes - a.bytes);
  return {
    explanation:
      `Plain objects grouped by their keys, as DevTools names them ({id, name}); summaries lump them all under Object. The saving is what they would take laid out as the smallest of them: what a class with these fields, set in its constructor, gives every instance.${
        snapshot.stableIds
          ? ""
          : " (Bun's snapshots name only the keys that hold objects or strings, not numbers or booleans, and not in order: they are sorted.)"
      }`,
    bytes: found.reduce((sum, { saving }) => sum + saving, 0),
    count: found.length,
    items: found.slice(0, limit),
  };
}

/** Between the keys of a shape's key: a character no property name the snapshot writes has. */
const KEY_SEPARATOR = "\u0000";

/**
 * A plain object's keys, in order, joined by {@linkcode KEY_SEPARATOR}; undefined for anything
 * but a plain object with keys. V8 writes no edge for a property holding a small integer, so the
 * keys come from the object's hidden class where the snapshot has it: the first keys of its
 * descriptor array (which it may share with the classes made from it by adding keys), as many
 * as the class is steps from its root in the transition tree. Otherwise (Bun, dictionary
 * objects) they come from the property edges.
 *
 * @param snapshot The snapshot.
 * @param node The node.
 * @returns The shape's key.
 */
export function shapeKey(snapshot: HeapSnapshot, node: number): string | undefined {
  if (snapshot.typeOf(node) !== "object" || snapshot.classNameOf(node) !== "Object") {
    return undefined;
  }
  const { firstEdge, edgeTarget } = snapshot.graph;
  const property = snapshot.edgeTypes.indexOf("property");
  const keys: string[] = [];
  let hiddenClass = -1;
  for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
    if (snapshot.edgeTypeIndexOf(e) === property) {
      const name = snapshot.edgeNameOf(e);
      if (name !== "__proto__") keys.push(name);
    } else if (snapshot.edgeTypeOf(e) === "internal" && snapshot.edgeNameOf(e) === "map") {
      hiddenClass = edgeTarget[e]!;
    }
  }
  const described = hiddenClass < 0 ? undefined : classKeys(snapshot, hiddenClass);
  const all = described !== undefined && keys.every((key) => described.includes(key))
    ? described
    : snapshot.stableIds
    ? keys
    : keys.sort(); // Bun's edges do not keep the keys' order
  return all.length === 0 ? undefined : all.join(KEY_SEPARATOR);
}

const classKeysCache = new WeakMap<HeapSnapshot, Map<number, string[] | undefined>>();

/** The keys a V8 hidden class describes (see {@linkcode shapeKey}), computed once per class. */
function classKeys(snapshot: HeapSnapshot, hiddenClass: number): string[] | undefined {
  let cache = classKeysCache.get(snapshot);
  if (cache === undefined) classKeysCache.set(snapshot, cache = new Map());
  if (cache.has(hiddenClass)) return cache.get(hiddenClass);
  const descriptorsEdge = edgeNamed(snapshot, hiddenClass, "descriptors");
  let keys: string[] | undefined;
  if (descriptorsEdge >= 0) {
    const descriptors = snapshot.edgeTargetOf(descriptorsEdge);
    // Each descriptor is three slots (key, details, value): the keys are at multiples of three.
    const slots: [number, string][] = [];
    const { firstEdge, edgeTarget } = snapshot.graph;
    for (let e = firstEdge[descriptors]!; e < firstEdge[descriptors + 1]!; e++) {
      const slot = Number(snapshot.edgeNameOf(e));
      if (snapshot.edgeTypeOf(e) !== "internal" || !Number.isInteger(slot) || slot % 3 !== 0) {
        continue;
      }
      slots.push([slot, snapshot.nameOf(edgeTarget[e]!)]);
    }
    slots.sort((a, b) => a[0] - b[0]);
    let steps = 0;
    for (let at = hiddenClass; steps <= slots.length; steps++) {
      const back = edgeNamed(snapshot, at, "back_pointer");
      if (back < 0 || snapshot.typeOf(at = snapshot.edgeTargetOf(back)) !== "object shape") break;
    }
    keys = slots.slice(0, steps === 0 || steps > slots.length ? slots.length : steps)
      .map(([, key]) => key);
  }
  cache.set(hiddenClass, keys);
  return keys;
}

/**
 * DevTools' name of a shape: `{id, name, email}`, with `…` after six keys.
 *
 * @param key A key from {@linkcode shapeKey}.
 * @returns The name.
 */
export function shapeName(key: string): string {
  const keys = key.split(KEY_SEPARATOR);
  return `{${keys.slice(0, SHAPE_KEYS).join(", ")}${keys.length > SHAPE_KEYS ? ", …" : ""}}`;
}

function closureScopes(
  { snapshot, counted, limit }: Context,
  includeHeapler: boolean,
): Insight<ClosureScope> {
  const closure = snapshot.nodeTypes.indexOf("closure");
  const { firstEdge, edgeTarget } = snapshot.graph;
  const closuresOf = new Map<number, number[]>();
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (counted[node] !== 1 || snapshot.typeIndexOf(node) !== closure) continue;
    for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
      if (snapshot.edgeTypeOf(e) !== "internal") continue;
      const scope = edgeTarget[e]!;
      // V8 names the edge; Bun's is unnamed, to a lexical or module environment.
      const name = snapshot.edgeNameOf(e);
      if (name !== "context" && !(name === "" && /Environment$/.test(snapshot.nameOf(scope)))) {
        continue;
      }
      const closures = closuresOf.get(scope);
      if (closures === undefined) closuresOf.set(scope, [node]);
      else closures.push(node);
    }
  }
  const owned = includeHeapler ? undefined : heaplerOwned(snapshot);
  const retained = snapshot.retainedSizes;
  const found: ClosureScope[] = [];
  for (const [scope, closures] of closuresOf) {
    if (owned?.[scope] === 1) continue;
    const script = scopeScript(snapshot, scope) ?? functionScript(snapshot, closures[0]!);
    if (script !== undefined && RUNTIME_SCRIPT.test(script)) continue;
    const variables: string[] = [];
    for (let e = firstEdge[scope]!; e < firstEdge[scope + 1]!; e++) {
      if (snapshot.edgeTypeOf(e) === "context") variables.push(snapshot.edgeNameOf(e));
    }
    if (variables.length === 0) continue;
    const names = [...new Set(closures.map((node) => snapshot.nameOf(node) || "(anonymous)"))];
    found.push({
      id: snapshot.idOf(scope),
      retained: retained[scope]!,
      variables,
      functions: names.slice(0, IDS),
      closures: closures.length,
      ...(script === undefined || script === "" ? {} : { script }),
    });
  }
  found.sort((a, b) => b.retained - a.retained);
  return {
    explanation:
      `Scopes that functions close over, by what they alone keep alive. A function that outlives its call keeps every variable of the scope it was made in, used or not: a callback made next to a large buffer keeps the buffer.${
        snapshot.stableIds
          ? ""
          : " (Bun's snapshots name neither the functions nor their scripts: the runtime's own scopes are listed too.)"
      }`,
    bytes: found.reduce((sum, { retained }) => sum + retained, 0),
    count: found.length,
    items: found.slice(0, limit),
  };
}

function globalVariables({ snapshot, counted, limit }: Context): Insight<GlobalVariable> {
  const { firstEdge, edgeTarget } = snapshot.graph;
  const retained = snapshot.retainedSizes;
  const found = new Map<string, GlobalVariable>();
  for (const global of globalObjects(snapshot)) {
    for (let e = firstEdge[global]!; e < firstEdge[global + 1]!; e++) {
      if (snapshot.edgeTypeOf(e) !== "property") continue;
      const name = snapshot.edgeNameOf(e);
      const value = edgeTarget[e]!;
      if (found.has(name) || BUILT_IN_GLOBALS.has(name) || counted[value] !== 1) continue;
      // The prototype link, and symbol keys (which the snapshot names `<symbol …>`).
      if (name === "__proto__" || name.startsWith("<symbol")) continue;
      // The runtime's own functions and classes, under names this runtime does not have.
      if (snapshot.typeOf(value) === "closure") {
        const script = functionScript(snapshot, value);
        if (script === undefined || script === "" || RUNTIME_SCRIPT.test(script)) continue;
      }
      const type = snapshot.typeOf(value) === "closure"
        ? `closure (${snapshot.nameOf(value)})`
        : snapshot.classNameOf(value);
      found.set(name, { name, id: snapshot.idOf(value), type, retained: retained[value]! });
    }
  }
  const items = [...found.values()].sort((a, b) => b.retained - a.retained);
  return {
    explanation:
      "Properties the program put on the global object: they live as long as the program does. What they keep is freed only when they are deleted or set to undefined.",
    bytes: items.reduce((sum, { retained }) => sum + retained, 0),
    count: items.length,
    items: items.slice(0, limit),
  };
}

/**
 * The global objects: on V8 what the root holds by shortcut edges (Node) and what native contexts
 * name their `global_object` (Deno, whose root has no shortcut); on Bun, whose snapshots have
 * neither, the `GlobalObject`.
 *
 * @param snapshot The snapshot.
 * @returns The global objects' nodes.
 */
export function globalObjects(snapshot: HeapSnapshot): number[] {
  const found = new Set<number>();
  const root = snapshot.root;
  for (let e = snapshot.firstEdge[root]!; e < snapshot.firstEdge[root + 1]!; e++) {
    if (snapshot.edgeTypeOf(e) === "shortcut") found.add(snapshot.edgeTargetOf(e));
  }
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const className = snapshot.classNameOf(node);
    if (className === "GlobalObject") found.add(node);
    if (className !== "system / NativeContext") continue;
    const global = edgeNamed(snapshot, node, "global_object");
    if (global >= 0) found.add(snapshot.edgeTargetOf(global));
  }
  return [...found];
}

/**
 * The global names of the JavaScript language (a fresh realm's) and the host objects of the three
 * runtimes, whichever the snapshot came from. Their functions and classes are told apart by
 * their scripts instead (the runtime's own, or none for native code).
 */
const BUILT_IN_GLOBALS: ReadonlySet<string> = new Set([
  ...(runInNewContext("Object.getOwnPropertyNames(globalThis)") as string[]),
  ...[
    "global",
    "process",
    "console",
    "performance",
    "navigator",
    "crypto",
    "Deno",
    "Bun",
    "window",
    "self",
    "location",
    "localStorage",
    "sessionStorage",
    "caches",
    "name",
    "closed",
    "onload",
    "onunload",
    "onbeforeunload",
    "onerror",
    "onunhandledrejection",
    "onrejectionhandled",
    "require",
    "module",
    "exports",
    "__filename",
    "__dirname",
  ],
]);

/** Ids of the first {@linkcode IDS} nodes. */
function idsOf(snapshot: HeapSnapshot, nodes: readonly number[]): number[] {
  return nodes.slice(0, IDS).map((node) => snapshot.idOf(node));
}

/**
 * Who holds a finding's objects, most first: each object's first strong retainer, as the
 * holder's type and the reference (`Customer.email`, `Array element`, `Map entry`), storage
 * arrays read as their owner.
 */
function holdersOf(snapshot: HeapSnapshot, nodes: readonly number[]): Holder[] {
  const { firstRetainer, retainerEdge, retainerNode } = snapshot.retainers;
  const classes = snapshot.classIndexes;
  const closure = snapshot.nodeTypes.indexOf("closure");
  const [element, context] = [
    snapshot.edgeTypes.indexOf("element"),
    snapshot.edgeTypes.indexOf("context"),
  ];
  const [weak, shortcut] = [
    snapshot.edgeTypes.indexOf("weak"),
    snapshot.edgeTypes.indexOf("shortcut"),
  ];
  // Counted by a number made of the holder's class (or function name) and the reference, so
  // that a label is written once per holder, not once per object.
  const counts = new Map<number, { objects: number; from: number; edge: number; store?: string }>();
  for (const node of nodes) {
    for (let r = firstRetainer[node]!; r < firstRetainer[node + 1]!; r++) {
      const edge = retainerEdge[r]!;
      const type = snapshot.edgeTypeIndexOf(edge);
      if (type === weak || type === shortcut) continue;
      let from = retainerNode[r]!;
      const store = storageOwner(snapshot, from);
      if (store !== undefined) from = store.from;
      const reference = store !== undefined
        ? (store.name === "table" ? 1 : 0)
        : type === element
        ? 0
        : 2 + 2 * snapshot.edgeNameIndexOf(edge) + (type === context ? 1 : 0);
      const owner = snapshot.typeIndexOf(from) === closure
        ? snapshot.classNames.length + from
        : classes[from]!;
      const key = owner * 2 ** 27 + reference;
      const found = counts.get(key);
      if (found !== undefined) found.objects++;
      else {counts.set(key, {
          objects: 1,
          from,
          edge,
          ...(store === undefined ? {} : { store: store.name }),
        });}
      break;
    }
  }
  return [...counts.values()].sort((a, b) => b.objects - a.objects).slice(0, HOLDERS)
    .map(({ objects, from, edge, store }) => ({
      holder: holderLabel(snapshot, from, edge, store),
      objects,
    }));
}

/** How a holder holds: `Customer.email`, `Array element`, `Map entry`, `closure (f) variable x`. */
function holderLabel(snapshot: HeapSnapshot, from: number, edge: number, store?: string): string {
  const owner = snapshot.typeOf(from) === "closure"
    ? `closure (${snapshot.nameOf(from)})`
    : snapshot.classNameOf(from);
  if (store !== undefined) return `${owner} ${store === "table" ? "entry" : "element"}`;
  const type = snapshot.edgeTypeOf(edge);
  if (type === "element") return `${owner} element`;
  if (type === "context") return `${owner} variable ${snapshot.edgeNameOf(edge)}`;
  return `${owner}.${snapshot.edgeNameOf(edge)}`;
}
