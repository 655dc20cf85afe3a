/**
 * Process memory, as Pympler's `process` module: virtual size, resident set size, page faults
 * and segments from `/proc` on Linux, plus the engine's heap figures on every runtime.
 *
 * @example
 * ```ts
 * import { ProcessMemoryInfo } from "heapler/process";
 * const info = new ProcessMemoryInfo();
 * console.assert(info.update() === true);
 * ```
 *
 * @module
 */
export {
  FIELD_LABELS,
  isAvailable,
  parseStatus,
  type ProcessMemoryField,
  ProcessMemoryInfo,
} from "./process_memory_info.ts";
