import process from "node:process";
import { port } from "./_current.ts";
import type { EngineMemory } from "./_port.ts";

/**
 * The engine's own heap figures (`heapTotal`, `heapUsed`, `external`, `arrayBuffers`), each
 * `undefined` where the runtime does not report it truthfully (Deno's and Bun's array buffers).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { engineMemory } from "heapler/runtime";
 * assert((engineMemory().heapUsed ?? 1) > 0);
 * ```
 */
export function engineMemory(): EngineMemory {
  return port.engineMemory();
}

/** What the runtime reports of the process without `/proc`. */
export interface ProcessResources {
  /** Resident set size in bytes. */
  rss: number;
  /** Major page faults so far. */
  majorPageFaults: number;
}

/**
 * Resident set size and major page faults as the runtime reports them, on every platform.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { processResources } from "heapler/runtime";
 * assert(processResources().rss > 0);
 * ```
 */
export function processResources(): ProcessResources {
  return {
    rss: process.memoryUsage.rss(),
    majorPageFaults: process.resourceUsage().majorPageFault,
  };
}
