import { programRetainingPath, selectedNodes, sizesOf } from "../heap/internal.ts";
import type { HeapSnapshot } from "../heap/mod.ts";
import type { SummaryRow } from "../summary/mod.ts";
import { summaryRowsOfNodes } from "../summary/internal.ts";
import type { Insight, InsightOptions } from "./insights.ts";
import { shapeKey, shapeName } from "./insights.ts";

/** A type or object shape whose count grew from every snapshot to the next. */
export interface GrowingGroup {
  /** The type as summaries name it, or the shape as DevTools does (`{id, name}`). */
  name: string;
  /** Its count in each snapshot. */
  counts: number[];
  /** Its bytes in each snapshot. */
  sizes: number[];
  /** One of the newest: an object of the last snapshot that the one before did not have. */
  example?: GrowthExample;
}

/** A collection or object whose entries grew from every snapshot to the next. */
export interface GrowingObject {
  /** Its id, the same in every snapshot. */
  id: number;
  /** Its type. */
  type: string;
  /** Its entries (elements, properties, Map and Set entries) in each snapshot. */
  entries: number[];
  /** Its bytes, with the storage it owns, in each snapshot. */
  sizes: number[];
  /** Its retaining path in the last snapshot. */
  path: string;
}

/** An object to look at, and how the program holds it. */
export interface GrowthExample {
  /** Its id in the last snapshot. */
  id: number;
  /** Its retaining path there: `(root) → global .cache → Map entry → Session`. */
  path: string;
}

/** What {@linkcode unboundGrowth} finds over a series of snapshots. */
export interface Growth {
  /** Types whose count grew at every step. */
  types: Insight<GrowingGroup>;
  /** Plain-object shapes whose count grew at every step. */
  shapes: Insight<GrowingGroup>;
  /** Objects present in every snapshot whose entries grew at every step. */
  objects: Insight<GrowingObject>;
}

/**
 * What grows without bound over three or more snapshots of one program, oldest first: types and
 * plain-object shapes whose count grew at every step, and collections (any object, matched by id)
 * whose entries did, ranked by the bytes they grew by, each with an object to look at and its
 * path. A leak found by {@linkcode findLeaks} needs three snapshots and a quiet program; this
 * needs only that something keeps growing.
 *
 * @param snapshots Three or more snapshots of one process, oldest first.
 * @param options How many findings to list.
 * @returns The growing types, shapes and objects.
 * @throws {RangeError} For fewer than three snapshots.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { unboundGrowth } from "heapler/insights";
 * import { HeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * class Order {}
 * const orders: Order[] = [];
 * const snapshots = [];
 * for (let step = 0; step < 3; step++) {
 *   for (let i = 0; i < 100; i++) orders.push(new Order());
 *   snapshots.push(await HeapSnapshot.parse(takeHeapSnapshot()));
 * }
 * const { types } = unboundGrowth(snapshots, { limit: 100 });
 * assert(types.items.some(({ name, counts }) => name === "Order" && counts.join() === "100,200,300"));
 * ```
 */
export function unboundGrowth(
  snapshots: readonly HeapSnapshot[],
  options: InsightOptions = {},
): Growth {
  if (snapshots.length < 3) {
    throw new RangeError(`growth needs three snapshots or more, not ${snapshots.length}`);
  }
  const { limit = 10, includeHeapler = false } = options;
  const selection = { programOnly: true, includeHeapler };
  const last = snapshots[snapshots.length - 1]!;
  const previous = snapshots[snapshots.length - 2]!;
  const perSnapshot = snapshots.map((snapshot) => ({
    snapshot,
    ...summaryRowsOfNodes(snapshot, selection),
    sizes: sizesOf(snapshot, selection),
    counted: selectedNodes(snapshot, selection),
  }));

  // Types, as summaries count them.
  const typeSeries = series(perSnapshot.map(({ rows }) => rows));
  const lastRows = perSnapshot[perSnapshot.length - 1]!;
  const types = ranked(typeSeries, limit, (name) => {
    const row = lastRows.rows.findIndex(([type]) => type === name);
    return newest(last, previous, (node) => lastRows.rowOf[node] === row);
  });

  // Plain-object shapes.
  const shapeSeries = series(perSnapshot.map(({ snapshot, counted, sizes }) => {
    const groups = new Map<string, [string, number, number]>();
    for (let node = 0; node < snapshot.nodeCount; node++) {
      if (counted[node] !== 1) continue;
      const key = shapeKey(snapshot, node);
      if (key === undefined) continue;
      const group = groups.get(key) ?? groups.set(key, [key, 0, 0]).get(key)!;
      group[1]++;
      group[2] += sizes[node]!;
    }
    return [...groups.values()];
  }));
  const shapes = ranked(shapeSeries, limit, (key) => {
    return newest(
      last,
      previous,
      (node) => lastRows.counted[node] === 1 && shapeKey(last, node) === key,
    );
  });
  for (const item of shapes.items) item.name = shapeName(item.name);

  return {
    types: { explanation: `${GROWING_TYPES} The example is one of the newest.`, ...types },
    shapes: {
      explanation:
        "Plain objects of one shape ({id, name}) whose count grew from every snapshot to the next: what summaries lump under Object, told apart.",
      ...shapes,
    },
    objects: growingObjects(perSnapshot, limit),
  };
}

/** What growing types mean, for {@linkcode unboundGrowth} and {@linkcode growingTypes}. */
const GROWING_TYPES =
  "Types whose count grew from every snapshot to the next, by the bytes they grew by. A cache or a list that is added to and never trimmed grows this way.";

/**
 * The types whose count grew from every summary to the next, over three or more summaries of
 * one program, oldest first (as a SummaryTracker's stored summaries, or the web front end's
 * snapshots), ranked by the bytes they grew by: {@linkcode unboundGrowth}'s types, from summaries
 * alone, so nothing but their rows need be kept.
 *
 * @param summaries Three or more summaries, oldest first.
 * @param options How many findings to list.
 * @returns The growing types, without examples (summaries hold no objects).
 * @throws {RangeError} For fewer than three summaries.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { growingTypes } from "heapler/insights";
 * const found = growingTypes([
 *   [["Order", 100, 4000], ["Object", 50, 800]],
 *   [["Order", 200, 8000], ["Object", 40, 640]],
 *   [["Order", 300, 12000], ["Object", 60, 960]],
 * ]);
 * assert.deepEqual(found.items.map(({ name, counts }) => [name, counts]), [["Order", [100, 200, 300]]]);
 * assert.equal(found.bytes, 8000);
 * ```
 */
export function growingTypes(
  summaries: readonly (readonly SummaryRow[])[],
  options: Pick<InsightOptions, "limit"> = {},
): Insight<GrowingGroup> {
  if (summaries.length < 3) {
    throw new RangeError(`growth needs three summaries or more, not ${summaries.length}`);
  }
  return {
    explanation: GROWING_TYPES,
    ...ranked(series(summaries), options.limit ?? 10, () => undefined),
  };
}

/** Per name, its count and size in each snapshot (0 where absent). */
function series(
  rowsPerSnapshot: readonly (readonly SummaryRow[])[],
): Map<string, { counts: number[]; sizes: number[] }> {
  const byName = new Map<string, { counts: number[]; sizes: number[] }>();
  const steps = rowsPerSnapshot.length;
  rowsPerSnapshot.forEach((rows, step) => {
    for (const [name, count, size] of rows) {
      let entry = byName.get(name);
      if (entry === undefined) {
        byName.set(
          name,
          entry = { counts: new Array(steps).fill(0), sizes: new Array(steps).fill(0) },
        );
      }
      entry.counts[step] = count;
      entry.sizes[step] = size;
    }
  });
  return byName;
}

/** The names whose count grew at every step, by the bytes they grew by, with an example each. */
function ranked(
  byName: Map<string, { counts: number[]; sizes: number[] }>,
  limit: number,
  example: (name: string) => GrowthExample | undefined,
): Omit<Insight<GrowingGroup>, "explanation"> {
  const growing: GrowingGroup[] = [];
  for (const [name, { counts, sizes }] of byName) {
    if (counts.every((count, step) => step === 0 || count > counts[step - 1]!)) {
      growing.push({ name, counts, sizes });
    }
  }
  const grewBy = ({ sizes }: GrowingGroup) => sizes[sizes.length - 1]! - sizes[0]!;
  growing.sort((a, b) => grewBy(b) - grewBy(a));
  const items = growing.slice(0, limit);
  for (const item of items) {
    const found = example(item.name);
    if (found !== undefined) item.example = found;
  }
  return {
    bytes: growing.reduce((sum, group) => sum + Math.max(0, grewBy(group)), 0),
    count: growing.length,
    items,
  };
}

/** The newest object of the last snapshot that matches (the highest id the one before lacks). */
function newest(
  last: HeapSnapshot,
  previous: HeapSnapshot,
  matches: (node: number) => boolean,
): GrowthExample | undefined {
  let best = -1;
  for (let node = 0; node < last.nodeCount; node++) {
    if (!matches(node)) continue;
    if (last.stableIds && previous.ordinalOf(last.idOf(node)) >= 0) continue;
    if (best < 0 || last.idOf(node) > last.idOf(best)) best = node;
  }
  return best < 0 ? undefined : { id: last.idOf(best), path: describe(last, best) };
}

/** A node's retaining path through the program's objects, as a reader follows it. */
export function describe(snapshot: HeapSnapshot, node: number): string {
  const path = programRetainingPath(snapshot, node);
  if (path.length === 0) return "(unreachable)";
  return `(root) ${path.map((edge) => `${edge.label} → ${edge.target.className}`).join(" ")}`;
}

function growingObjects(
  perSnapshot: readonly { snapshot: HeapSnapshot; sizes: ArrayLike<number>; counted: Uint8Array }[],
  limit: number,
): Insight<GrowingObject> {
  const explanation =
    "Objects present in every snapshot whose entries (elements, properties, Map and Set entries) grew from every snapshot to the next: a collection that is only ever added to.";
  if (perSnapshot.some(({ snapshot }) => !snapshot.stableIds)) {
    return {
      explanation:
        `${explanation} (Needs ids that stay the same from one snapshot to the next, which Bun's snapshots do not have.)`,
      bytes: 0,
      count: 0,
      items: [],
    };
  }
  const last = perSnapshot[perSnapshot.length - 1]!;
  const found: GrowingObject[] = [];
  for (let node = 0; node < last.snapshot.nodeCount; node++) {
    if (last.counted[node] !== 1 || last.snapshot.typeOf(node) !== "object") continue;
    const id = last.snapshot.idOf(node);
    const entries: number[] = [];
    const sizes: number[] = [];
    for (const { snapshot, sizes: sizesThere, counted } of perSnapshot) {
      const there = snapshot === last.snapshot ? node : snapshot.ordinalOf(id);
      if (there < 0 || counted[there] !== 1) break;
      const count = entriesOf(snapshot, there);
      if (entries.length > 0 && count <= entries[entries.length - 1]!) break;
      entries.push(count);
      sizes.push(sizesThere[there]!);
    }
    if (entries.length < perSnapshot.length) continue;
    found.push({ id, type: last.snapshot.classNameOf(node), entries, sizes, path: "" });
  }
  const grewBy = ({ sizes }: GrowingObject) => sizes[sizes.length - 1]! - sizes[0]!;
  found.sort((a, b) => grewBy(b) - grewBy(a) || b.entries.at(-1)! - a.entries.at(-1)!);
  const items = found.slice(0, limit);
  for (const item of items) item.path = describe(last.snapshot, last.snapshot.ordinalOf(item.id));
  return {
    explanation,
    bytes: found.reduce((sum, object) => sum + Math.max(0, grewBy(object)), 0),
    count: found.length,
    items,
  };
}

/**
 * An object's entries as the snapshot shows them: its element and property edges, and the
 * edges of its hash table (a Map's or Set's entries) but the one to the table's hidden class.
 */
function entriesOf(snapshot: HeapSnapshot, node: number): number {
  const { firstEdge, edgeTarget } = snapshot.graph;
  let entries = 0;
  for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
    const type = snapshot.edgeTypeOf(e);
    if (type === "element" || (type === "property" && snapshot.edgeNameOf(e) !== "__proto__")) {
      entries++;
    } else if (type === "internal" && snapshot.edgeNameOf(e) === "table") {
      const table = edgeTarget[e]!;
      for (let t = firstEdge[table]!; t < firstEdge[table + 1]!; t++) {
        if (snapshot.edgeNameOf(t) !== "map") entries++;
      }
    }
  }
  return entries;
}
