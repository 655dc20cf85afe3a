import {
  HeapNode,
  type HeapObject,
  type HeapSnapshot,
  type ParserOptions,
  UnstableIdsError,
} from "../heap/mod.ts";
import { markHeaplerMade, selectedNodes, snapshotProgram } from "../heap/internal.ts";
import { type Selection } from "../heap/mod.ts";
import { isObjectLike, referents } from "../reflect/mod.ts";

/** Lists whose ids do not identify objects across snapshots (Bun). */
const unstableLists = new WeakSet<readonly HeapObject[]>();

/** Which objects {@linkcode objectsOf} lists (heapler's selection policy). */
export type ObjectsOptions = Selection;

/** Options of {@linkcode getObjects}. */
export type GetObjectsOptions = ParserOptions & ObjectsOptions;

/**
 * Every object of the running program, from a fresh heap snapshot (the engine collects
 * garbage first): one plain record per object (see `HeapSnapshot.isObject`).
 *
 * @param options Whether to include heapler's own objects; progress reporting.
 * @returns The records.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getObjects } from "heapler/muppy";
 * const objects = await getObjects();
 * assert(objects.some((o) => o.className === "Object"));
 * ```
 */
export async function getObjects(options: GetObjectsOptions = {}): Promise<HeapObject[]> {
  const { includeHeapler = false, programOnly = false, ...parserOptions } = options;
  const snapshot = await snapshotProgram(parserOptions);
  return markHeaplerMade(objectsOf(snapshot, { includeHeapler, programOnly }));
}

/**
 * The object records of a snapshot (a file, or one taken earlier).
 *
 * @param snapshot The snapshot.
 * @param options Whether to include heapler's own objects and the engine's.
 * @returns The records.
 */
export function objectsOf(snapshot: HeapSnapshot, options: ObjectsOptions = {}): HeapObject[] {
  const counted = selectedNodes(snapshot, options);
  const objects: HeapObject[] = [];
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (counted[node] === 1) objects.push(snapshot.node(node).toObject());
  }
  if (!snapshot.stableIds) unstableLists.add(objects);
  return objects;
}

/**
 * The sum of the objects' own sizes.
 *
 * @param objects Records from {@linkcode getObjects}.
 * @returns Bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getSize } from "heapler/muppy";
 * const record = { id: 1, type: "object", name: "A", className: "A", selfSize: 24, edgeCount: 0 };
 * assert(getSize([record, record]) === 48);
 * ```
 */
export function getSize(objects: Iterable<HeapObject>): number {
  let total = 0;
  for (const object of objects) total += object.selfSize;
  return total;
}

/** What {@linkcode getDiff} returns: objects only in the right list, and only in the left. */
export interface ObjectDiff {
  "+": HeapObject[];
  "-": HeapObject[];
}

/**
 * Compares two object lists by object id: `"+"` holds the objects only in `right`, `"-"` those
 * only in `left`; order does not matter.
 *
 * @param left The earlier list.
 * @param right The later list.
 * @returns The added and removed objects.
 * @throws {UnstableIdsError} For lists from snapshots whose ids are not stable (Bun).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getDiff } from "heapler/muppy";
 * const a = { id: 1, type: "object", name: "A", className: "A", selfSize: 8, edgeCount: 0 };
 * const b = { ...a, id: 3 };
 * const diff = getDiff([a], [b, a]);
 * assert(diff["+"][0] === b && diff["-"].length === 0);
 * ```
 */
export function getDiff(left: readonly HeapObject[], right: readonly HeapObject[]): ObjectDiff {
  if (unstableLists.has(left) || unstableLists.has(right)) {
    throw new UnstableIdsError("diff object lists by id");
  }
  const leftIds = new Set(left.map((object) => object.id));
  const rightIds = new Set(right.map((object) => object.id));
  return {
    "+": right.filter((object) => !leftIds.has(object.id)),
    "-": left.filter((object) => !rightIds.has(object.id)),
  };
}

/**
 * Sorts objects by their own size, smallest first.
 *
 * @param objects The records.
 * @returns A new sorted array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sort } from "heapler/muppy";
 * const o = (selfSize: number) => ({ id: selfSize, type: "object", name: "", className: "O", selfSize, edgeCount: 0 });
 * assert(sort([o(3), o(1), o(2)]).map((x: { selfSize: number }) => x.selfSize).join() === "1,2,3");
 * ```
 */
export function sort(objects: readonly HeapObject[]): HeapObject[] {
  return [...objects].sort((a, b) => a.selfSize - b.selfSize);
}

/** Options of {@linkcode filter}. */
export interface FilterOptions {
  /**
   * Keep only this type: a class (matched by its name), a DevTools class name (`"Map"`,
   * `"(string)"`), or a node type (`"closure"`, `"string"`).
   */
  type?: string | (abstract new (...args: never[]) => unknown);
  /** Keep objects strictly larger than this. @default -1 */
  min?: number;
  /** Keep objects strictly smaller than this (-1: no bound). @default -1 */
  max?: number;
}

/**
 * Filters objects by type and by own size, with Pympler's strict bounds.
 *
 * @param objects The records.
 * @param options The type and the size bounds.
 * @returns The objects that pass.
 * @throws {RangeError} If `min` is above `max`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { filter } from "heapler/muppy";
 * const o = (className: string, selfSize: number) => ({ id: 1, type: "object", name: className, className, selfSize, edgeCount: 0 });
 * assert(filter([o("Map", 10), o("Set", 10), o("Map", 99)], { type: "Map", max: 50 }).length === 1);
 * ```
 */
export function filter(objects: readonly HeapObject[], options: FilterOptions = {}): HeapObject[] {
  const { type, min = -1, max = -1 } = options;
  if (max > -1 && min > max) {
    throw new RangeError(`Cannot filter objects: min (${min}) is larger than max (${max})`);
  }
  const typeName = typeof type === "function" ? type.name : type;
  return objects.filter((object) =>
    (typeName === undefined || object.className === typeName || object.type === typeName) &&
    object.selfSize > min && (max === -1 || object.selfSize < max)
  );
}

/**
 * The objects a value references, up to `level` levels deep, each once. A live value is walked
 * by reflection (own properties through descriptors, elements, Map and Set entries; no getter
 * or Proxy trap runs); a snapshot node by its edges.
 *
 * @param value A live object or a {@linkcode HeapNode}.
 * @param level How many levels to follow. @default 1
 * @returns The distinct referents (objects only for live values; nodes for a node).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getReferents } from "heapler/muppy";
 * const leaf = {};
 * const tree = { a: [leaf], b: leaf };
 * assert(getReferents(tree).length === 2 && getReferents(tree, 2).length === 2);
 * ```
 */
export function getReferents(value: HeapNode, level?: number): HeapNode[];
export function getReferents(value: object, level?: number): object[];
export function getReferents(value: object, level = 1): object[] {
  const isNode = value instanceof HeapNode;
  const seen = new Set<unknown>([isNode ? (value as HeapNode).ordinal : value]);
  const found: object[] = [];
  let frontier: object[] = [value];
  for (let depth = 0; depth < level && frontier.length > 0; depth++) {
    const next: object[] = [];
    for (const item of frontier) {
      const children = isNode
        ? (item as HeapNode).edges().map((edge) => edge.target)
        : referents(item).map((referent) => referent.value).filter(isObjectLike);
      for (const child of children) {
        const key = isNode ? (child as HeapNode).ordinal : child;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push(child);
        next.push(child);
      }
    }
    frontier = next;
  }
  return found;
}
