import { selectedNodes, sizesOf } from "../heap/internal.ts";
import { type Selection } from "../heap/mod.ts";
import type { HeapObject, HeapSnapshot } from "../heap/mod.ts";
import { formatTable, pp } from "../format/mod.ts";
import { stdout } from "../runtime/internal.ts";
import { type TextStream } from "../runtime/mod.ts";

/** One summary row: a type, how many objects of it, and their total own size in bytes. */
export type SummaryRow = [type: string, count: number, size: number];

/**
 * The summary type of an object record.
 *
 * @param object The record.
 * @returns Its type, as the summary rows name it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summaryType } from "heapler/summary";
 * const base = { id: 1, selfSize: 32, edgeCount: 0 };
 * assert(summaryType({ ...base, type: "closure", name: "onData", className: "Function" }) === "closure (onData)");
 * assert(summaryType({ ...base, type: "object", name: "Map", className: "Map" }) === "Map");
 * ```
 */
export function summaryType(object: HeapObject): string {
  if (object.type !== "closure") return object.className;
  return object.name === "" ? "closure" : `closure (${object.name})`;
}

/**
 * Groups objects by type: one row per type with the count and the summed own size.
 *
 * @param objects Records from `muppy.getObjects()` or `objectsOf(snapshot)`.
 * @returns The rows, in no particular order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarize } from "heapler/summary";
 * const o = (className: string, selfSize: number) => ({ id: 1, type: "object", name: className, className, selfSize, edgeCount: 0 });
 * const rows = summarize([o("A", 8), o("B", 16), o("A", 8)]);
 * assert(JSON.stringify(rows) === '[["A",2,16],["B",1,16]]');
 * ```
 */
export function summarize(objects: Iterable<HeapObject>): SummaryRow[] {
  const rows = new Map<string, SummaryRow>();
  for (const object of objects) {
    const type = summaryType(object);
    const row = rows.get(type);
    if (row === undefined) rows.set(type, [type, 1, object.selfSize]);
    else {
      row[1]++;
      row[2] += object.selfSize;
    }
  }
  return [...rows.values()];
}

/** Options of {@linkcode summarizeSnapshot}: which nodes count (heapler's selection policy). */
export type SummarizeOptions = Selection;

/**
 * Summarizes a whole snapshot without making a record per object: the fast path for large
 * files. Equal to `summarize(objectsOf(snapshot, options))` when `programOnly` is off.
 *
 * @param snapshot The snapshot.
 * @param options Whether to include heapler's own objects.
 * @returns The rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summarizeSnapshot } from "heapler/summary";
 * import { HeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * const rows = summarizeSnapshot(await HeapSnapshot.parse(takeHeapSnapshot()));
 * assert(rows.some(([type]) => type === "Object"));
 * ```
 */
export function summarizeSnapshot(
  snapshot: HeapSnapshot,
  options: SummarizeOptions = {},
): SummaryRow[] {
  return summaryRowsOfNodes(snapshot, options).rows;
}

/** A snapshot's summary, and the row each node was counted in. */
export interface NodeSummary {
  /** The rows, as {@linkcode summarizeSnapshot} returns them. */
  rows: SummaryRow[];
  /** Per node, the index of its row in `rows`, or -1 for a node not counted. */
  rowOf: Int32Array;
}

/**
 * {@linkcode summarizeSnapshot}, also telling which row each node was counted in: how a summary
 * row leads to its objects.
 *
 * @param snapshot The snapshot.
 * @param options As for {@linkcode summarizeSnapshot}.
 * @returns The rows and each node's row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summaryRowsOfNodes } from "./internal.ts";
 * import { HeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * const { rows, rowOf } = summaryRowsOfNodes(await HeapSnapshot.parse(takeHeapSnapshot()));
 * assert(rows.reduce((n, [, count]) => n + count, 0) === rowOf.filter((r) => r >= 0).length);
 * ```
 */
export function summaryRowsOfNodes(
  snapshot: HeapSnapshot,
  options: SummarizeOptions = {},
): NodeSummary {
  const counted = selectedNodes(snapshot, options);
  const classes = snapshot.classIndexes;
  const classNames = snapshot.classNames;
  const sizes = sizesOf(snapshot, options);
  const closure = snapshot.nodeTypes.indexOf("closure");
  const rowOfClass = new Int32Array(classNames.length).fill(-1);
  const rowOfClosureName = new Map<string, number>();
  const rows: SummaryRow[] = [];
  const rowOf = new Int32Array(snapshot.nodeCount).fill(-1);
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const type = snapshot.typeIndexOf(node);
    if (counted[node] !== 1) continue;
    let row: number;
    if (type === closure) {
      const name = snapshot.nameOf(node);
      row = rowOfClosureName.get(name) ?? -1;
      if (row < 0) {
        row = rows.push([name === "" ? "closure" : `closure (${name})`, 0, 0]) - 1;
        rowOfClosureName.set(name, row);
      }
    } else {
      const classIndex = classes[node]!;
      row = rowOfClass[classIndex]!;
      if (row < 0) row = rowOfClass[classIndex] = rows.push([classNames[classIndex]!, 0, 0]) - 1;
    }
    const target = rows[row]!;
    target[1]++;
    target[2] += sizes[node]!;
    rowOf[node] = row;
  }
  return { rows, rowOf };
}

/**
 * The difference of two summaries, as Pympler computes it: a type in both gives
 * `[type, right − left]` (zero rows kept), a type only in `right` its row, a type only in
 * `left` its row negated.
 *
 * @param left The earlier summary.
 * @param right The later one.
 * @returns The difference rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getDiff } from "heapler/summary";
 * const diff = getDiff([["A", 2, 16], ["B", 1, 8]], [["A", 2, 16], ["C", 1, 4]]);
 * assert(JSON.stringify(diff) === '[["A",0,0],["B",-1,-8],["C",1,4]]');
 * ```
 */
export function getDiff(
  left: readonly SummaryRow[],
  right: readonly SummaryRow[],
): SummaryRow[] {
  const rightByType = new Map(right.map((row) => [row[0], row]));
  const result: SummaryRow[] = [];
  const seen = new Set<string>();
  for (const [type, count, size] of left) {
    seen.add(type);
    const other = rightByType.get(type);
    result.push(
      other === undefined ? [type, -count, -size] : [type, other[1] - count, other[2] - size],
    );
  }
  for (const row of right) if (!seen.has(row[0])) result.push([...row]);
  return result;
}

/**
 * Drops rows that are zero in both count and size (a row with count 0 and a size change stays).
 *
 * @param rows Summary or diff rows.
 * @returns The remaining rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweep } from "heapler/summary";
 * assert(sweep([["A", 0, 0], ["B", 0, 8]]).length === 1);
 * ```
 */
export function sweep(rows: readonly SummaryRow[]): SummaryRow[] {
  return rows.filter(([, count, size]) => count !== 0 || size !== 0);
}

/** How a summary table is sorted. `"#"` is Pympler's name for `"count"`. */
/**
 * The types that grew by more than `tolerance` objects in every one of several diffs, each with
 * its least growth in one diff: what keeps growing, round after round.
 *
 * @param diffs The diffs, in order.
 * @param tolerance Objects a type may gain per diff without counting as growth.
 * @returns `[type, least objects, least bytes]` per growing type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { growingInEvery } from "heapler/summary";
 * const rows = growingInEvery([[["Entry", 10, 640], ["Object", 1, 32]], [["Entry", 12, 768]]]);
 * assert(rows.length === 1 && rows[0]![0] === "Entry" && rows[0]![1] === 10);
 * ```
 */
export function growingInEvery(
  diffs: readonly (readonly SummaryRow[])[],
  tolerance = 0,
): SummaryRow[] {
  const byType = diffs.map((rows) => new Map(rows.map((row) => [row[0], row])));
  const types = [...(byType[0]?.keys() ?? [])];
  return types.flatMap((type): SummaryRow[] => {
    const rows = byType.map((diff) => diff.get(type));
    if (rows.some((row) => row === undefined || row[1] <= tolerance)) return [];
    return [[
      type,
      Math.min(...rows.map((row) => row![1])),
      Math.min(...rows.map((row) => row![2])),
    ]];
  });
}

export type SortKey = "size" | "count" | "#" | "type";

/** Options of {@linkcode format}. */
export interface FormatOptions {
  /** The most rows shown. @default 15 */
  limit?: number;
  /** The column to sort by. @default "size" */
  sort?: SortKey;
  /** The sort direction. @default "descending" */
  order?: "ascending" | "descending";
}

/**
 * Lays summary rows out as Pympler's table: `types | # objects | total size`, sorted, at most
 * `limit` rows, sizes pretty-printed.
 *
 * @param rows Summary or diff rows.
 * @param options Limit, sort column and order.
 * @returns The table's lines.
 * @throws {RangeError} For an unknown sort key or order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { format } from "heapler/summary";
 * const lines = format([["list", 2, 1000], ["dict", 1, 184]]);
 * assert(lines.join("\n") === [
 *   "  types |   # objects |   total size",
 *   "======= | =========== | ============",
 *   "   list |           2 |   1000     B",
 *   "   dict |           1 |    184     B",
 * ].join("\n"));
 * ```
 */
export function format(rows: readonly SummaryRow[], options: FormatOptions = {}): string[] {
  const { limit = 15, sort = "size", order = "descending" } = options;
  const column = { type: 0, count: 1, "#": 1, size: 2 }[sort];
  if (column === undefined) {
    throw new RangeError(`Cannot sort a summary by "${sort}": use size, count (or #) or type`);
  }
  if (order !== "ascending" && order !== "descending") {
    throw new RangeError(`Cannot sort a summary in "${order}" order: use ascending or descending`);
  }
  const direction = order === "ascending" ? 1 : -1;
  const sorted = [...rows].sort((a, b) => {
    const x = a[column]!;
    const y = b[column]!;
    const primary = x < y ? -1 : x > y ? 1 : 0;
    return primary * direction || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  });
  const table = [
    ["types", "# objects", "total size"],
    ...sorted.slice(0, Math.max(0, limit)).map((
      [type, count, size],
    ) => [type, String(count), pp(size)]),
  ];
  return formatTable(table);
}

/**
 * Prints summary rows as Pympler's table (see {@linkcode format}).
 *
 * @param rows Summary or diff rows.
 * @param options Limit, sort and order, and where to print (standard output by default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { print } from "heapler/summary";
 * let text = "";
 * print([["Map", 1, 88]], { stream: { write: (chunk: string) => void (text += chunk) } });
 * assert(text.includes("Map |           1 |     88     B"));
 * ```
 */
export function print(
  rows: readonly SummaryRow[],
  options: FormatOptions & { stream?: TextStream } = {},
): void {
  const { stream = stdout, ...formatOptions } = options;
  stream.write(format(rows, formatOptions).join("\n") + "\n");
}
