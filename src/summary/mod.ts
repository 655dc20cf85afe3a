/**
 * Pympler's `summary` for JavaScript: objects grouped by type into rows of
 * `[type, count, total size]`, diffs of two summaries, and Pympler's table.
 *
 * Types are DevTools' class names (`Object`, `Array`, `Map`, `MyClass`, `(string)`,
 * `(system)`, `(compiled code)`), except that functions are split by name as Pympler does:
 * `closure (onRequest)`, or `closure` for an anonymous one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { format, summarize } from "heapler/summary";
 * const rows = summarize([
 *   { id: 1, type: "object", name: "Widget", className: "Widget", selfSize: 5600, edgeCount: 2 },
 *   { id: 3, type: "object", name: "Widget", className: "Widget", selfSize: 5600, edgeCount: 2 },
 * ]);
 * assert(format(rows)[2]!.includes("Widget |           2 |     10.94 KB"));
 * ```
 *
 * @module
 */
export {
  format,
  type FormatOptions,
  getDiff,
  growingInEvery,
  print,
  type SortKey,
  summarize,
  type SummarizeOptions,
  summarizeSnapshot,
  type SummaryRow,
  summaryType,
  sweep,
} from "./summary.ts";
