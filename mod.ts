/**
 * heapler: Pympler for JavaScript. Measures, monitors and analyzes the memory of the objects of
 * a running Node, Deno or Bun program, and `.heapsnapshot` files.
 *
 * @example
 * ```ts
 * import { pp, ProcessMemoryInfo } from "heapler";
 * console.assert(pp(new ProcessMemoryInfo().rss ?? 0).endsWith("B"));
 * ```
 *
 * @module
 */
export * from "./src/format/mod.ts";
export * from "./src/process/mod.ts";
export {
  collectGarbage,
  detectRuntime,
  type RuntimeInfo,
  settleFinalizers,
  SnapshotUnsupportedError,
  takeHeapSnapshot,
  writeFileAtomic,
  writeHeapSnapshot,
} from "./src/runtime/mod.ts";
