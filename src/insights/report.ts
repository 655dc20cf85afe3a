import { formatTable, ppShort, trunc } from "../format/mod.ts";
import type { Growth } from "./growth.ts";
import type { Holder, Insight, Insights } from "./insights.ts";

/** Characters of a string value or path shown in a table cell. */
const CELL = 48;

/**
 * The insights of one snapshot as text: per analysis a heading with the bytes at stake, the
 * explanation, and a table of the largest findings with the ids to pass to `heapler refs --id`.
 *
 * @param found What {@linkcode insights} found.
 * @returns The lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatInsights } from "heapler/insights";
 * const none = { explanation: "Nothing.", bytes: 0, count: 0, items: [] };
 * const lines = formatInsights({
 *   duplicatedStrings: { ...none, bytes: 2048, count: 1, items: [{ value: "ok", copies: 3, bytes: 3072, wasted: 2048, ids: [7], holders: [{ holder: "Reply.status", objects: 3 }] }] },
 *   emptyCollections: none, oversizedArrays: none, sparseArrays: none, staleCollections: none,
 *   objectShapes: none, closureScopes: none, globals: none,
 * });
 * assert(lines[0] === "Duplicated strings: 1 value held in copies, 2.00 KB to save");
 * assert(lines.some((line) => line.includes('"ok"') && line.includes("Reply.status × 3")));
 * ```
 */
export function formatInsights(found: Insights): string[] {
  const {
    duplicatedStrings,
    emptyCollections,
    oversizedArrays,
    sparseArrays,
    staleCollections,
    objectShapes,
    closureScopes,
    globals,
  } = found;
  return [
    ...section(
      `Duplicated strings: ${counted(duplicatedStrings.count, "value")} held in copies, ${
        ppShort(duplicatedStrings.bytes)
      } to save`,
      duplicatedStrings,
      ["value", "copies", "size", "to save", "held by", "ids"],
      (item) => [
        JSON.stringify(trunc(item.value, CELL)),
        String(item.copies),
        ppShort(item.bytes),
        ppShort(item.wasted),
        holders(item.holders),
        ids(item.ids),
      ],
    ),
    ...section(
      `Empty collections: ${
        counted(
          emptyCollections.items.reduce((sum, { count }) => sum + count, 0),
          "empty collection",
        )
      }, ${ppShort(emptyCollections.bytes)}`,
      emptyCollections,
      ["kind", "empty", "size", "held by", "ids"],
      (
        item,
      ) => [
        item.kind,
        String(item.count),
        ppShort(item.bytes),
        holders(item.holders),
        ids(item.ids),
      ],
    ),
    ...section(
      `Oversized arrays: ${counted(oversizedArrays.count, "array")} with spare storage, ${
        ppShort(oversizedArrays.bytes)
      } unused`,
      oversizedArrays,
      ["array", "slots", "used", "unused", "held by"],
      (item) => [
        `@${item.id}`,
        String(item.capacity),
        String(item.used),
        ppShort(item.spare),
        holders(item.holders),
      ],
    ),
    ...section(
      `Sparse arrays: ${counted(sparseArrays.count, "array")} with hash-table storage, ${
        ppShort(sparseArrays.bytes)
      } beyond a list`,
      sparseArrays,
      ["array", "elements", "last index", "table", "beyond a list", "held by"],
      (item) => [
        `@${item.id}`,
        String(item.elements),
        String(item.last),
        ppShort(item.storage),
        ppShort(item.spare),
        holders(item.holders),
      ],
    ),
    ...section(
      `Stale collections: ${
        counted(staleCollections.count, "collection")
      } holding detached objects, ${ppShort(staleCollections.bytes)} retained`,
      staleCollections,
      ["collection", "kind", "detached", "of entries", "retained", "held by"],
      (item) => [
        `@${item.id}`,
        item.kind,
        String(item.detached),
        String(item.entries),
        ppShort(item.retained),
        holders(item.holders),
      ],
    ),
    ...section(
      `Object shapes: ${counted(objectShapes.count, "shape")} shared by plain objects, ${
        ppShort(objectShapes.bytes)
      } a class would save`,
      objectShapes,
      ["shape", "objects", "size", "a class saves", "held by", "ids"],
      (item) => [
        trunc(item.name, CELL),
        String(item.count),
        ppShort(item.bytes),
        ppShort(item.saving),
        holders(item.holders),
        ids(item.ids),
      ],
    ),
    ...section(
      `Closure scopes: ${counted(closureScopes.count, "scope")} kept alive by functions`,
      closureScopes,
      ["scope", "retained", "variables", "kept by", "script"],
      (item) => [
        `@${item.id}`,
        ppShort(item.retained),
        trunc(item.variables.join(", "), CELL),
        `${trunc(item.functions.join(", "), 32)}${
          item.closures > item.functions.length ? ` (${item.closures} functions)` : ""
        }`,
        trunc(item.script ?? "", CELL, { left: true }),
      ],
    ),
    ...section(
      `Global variables: ${counted(globals.count, "property", "properties")} the program added, ${
        ppShort(globals.bytes)
      } retained`,
      globals,
      ["name", "type", "retained", "id"],
      (item) => [item.name, trunc(item.type, CELL), ppShort(item.retained), `@${item.id}`],
    ),
  ];
}

/**
 * What grows over a series of snapshots, as text: types, shapes and collections that grew at
 * every step, with their counts per snapshot, an object to look at and its path.
 *
 * @param growth What {@linkcode unboundGrowth} found.
 * @returns The lines.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatGrowth } from "heapler/insights";
 * const none = { explanation: "Nothing.", bytes: 0, count: 0, items: [] };
 * const lines = formatGrowth({
 *   types: { ...none, count: 1, bytes: 64, items: [{ name: "Order", counts: [1, 2, 3], sizes: [32, 64, 96] }] },
 *   shapes: none, objects: none,
 * });
 * assert(lines.some((line) => line.includes("Order") && line.includes("1 → 2 → 3")));
 * ```
 */
export function formatGrowth(growth: Growth): string[] {
  const { types, shapes, objects } = growth;
  const groupRow = (item: Growth["types"]["items"][number]) => [
    trunc(item.name, CELL),
    item.counts.join(" → "),
    `+${ppShort(item.sizes[item.sizes.length - 1]! - item.sizes[0]!)}`,
    item.example === undefined ? "" : `@${item.example.id}`,
    trunc(item.example?.path ?? "", 2 * CELL, { left: true }),
  ];
  const header = ["", "count in each snapshot", "grew by", "newest", "held through"];
  return [
    ...section(
      `Growing types: ${counted(types.count, "type")} grew at every step, ${
        ppShort(types.bytes)
      } in all`,
      types,
      ["type", ...header.slice(1)],
      groupRow,
    ),
    ...section(
      `Growing shapes: ${counted(shapes.count, "shape")} of plain objects grew at every step`,
      shapes,
      ["shape", ...header.slice(1)],
      groupRow,
    ),
    ...section(
      `Growing collections: ${counted(objects.count, "object")} whose entries grew at every step`,
      objects,
      ["object", "entries in each snapshot", "grew by", "held through"],
      (item) => [
        `${item.type} @${item.id}`,
        item.entries.join(" → "),
        `+${ppShort(item.sizes[item.sizes.length - 1]! - item.sizes[0]!)}`,
        trunc(item.path, 2 * CELL, { left: true }),
      ],
    ),
  ];
}

/** A heading, the explanation, and the table of findings (or a line saying there are none). */
function section<T>(
  heading: string,
  insight: Insight<T>,
  header: string[],
  row: (item: T) => string[],
): string[] {
  const table = insight.items.length === 0
    ? ["  (none)"]
    : formatTable([header, ...insight.items.map(row)]);
  const more = insight.count > insight.items.length
    ? [`  … and ${insight.count - insight.items.length} more (--limit shows more)`]
    : [];
  return [
    heading,
    ...wrap(insight.explanation, WIDTH).map((line) => `  ${line}`),
    ...table,
    ...more,
    "",
  ];
}

/** Columns an explanation fills before it wraps. */
const WIDTH = 96;

/** Breaks text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  return line === "" ? lines : [...lines, line];
}

function counted(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

function holders(list: readonly Holder[]): string {
  return trunc(list.map(({ holder, objects }) => `${holder} × ${objects}`).join(", "), CELL);
}

function ids(list: readonly number[]): string {
  return list.slice(0, 3).map((id) => `@${id}`).join(" ");
}
