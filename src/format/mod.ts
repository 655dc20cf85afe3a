/**
 * Text formats shared by every heapler module: Pympler's size printer and tables, clipping,
 * and escaping for the terminal, HTML, SVG and DOT.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTable, pp } from "heapler/format";
 * const lines = formatTable([["types", "total size"], ["Array", pp(2048)]]);
 * assert(lines[2] === "  Array |      2.00 KB");
 * ```
 *
 * @module
 */
export { pp, ppShort, ppTimestamp } from "./size.ts";
export { formatTable, type TableOptions } from "./table.ts";
export { trunc, type TruncOptions } from "./text.ts";
