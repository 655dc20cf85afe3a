/** Options of {@linkcode formatTable}. */
export interface TableOptions {
  /**
   * Whether the first row is a header, underlined by a row of `=`.
   * @default {true}
   */
  header?: boolean;
}

/**
 * Lays rows out as Pympler's tables: every cell right-justified in a column as wide as its
 * longest cell plus two, columns joined by `" | "`, and a border of `=` under the header.
 *
 * @param rows The rows, header first; every row has the same number of cells.
 * @returns One text line per row, plus the border line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTable } from "heapler/format";
 * const lines = formatTable([["types", "# objects"], ["Array", "2"]]);
 * assert(lines.join("\n") === "  types |   # objects\n======= | ===========\n  Array |           2");
 * ```
 */
export function formatTable(
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string[] {
  const header = options.header ?? true;
  const columns = rows[0]?.length ?? 0;
  const widths: number[] = [];
  for (let column = 0; column < columns; column++) {
    widths.push(Math.max(...rows.map((row) => (row[column] ?? "").length)) + 2);
  }
  const lines = rows.map((row) =>
    widths.map((width, column) => (row[column] ?? "").padStart(width)).join(" | ")
  );
  if (header && lines.length > 0) {
    lines.splice(
      1,
      0,
      widths.map((width) => "=".repeat(width)).join(" | "),
    );
  }
  return lines;
}
