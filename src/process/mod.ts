/**
 * Process memory, as Pympler's `process` module: virtual size, resident set size, page faults
 * and segments from `/proc` on Linux, plus the engine's heap figures on every runtime.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProcessMemoryInfo } from "heapler/process";
 * const info = new ProcessMemoryInfo();
 * assert(info.update() === true);
 * ```
 *
 * @module
 */
export { type ProcessMemoryField, ProcessMemoryInfo } from "./process_memory_info.ts";
