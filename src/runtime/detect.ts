import { port } from "./_current.ts";
import type { RuntimeInfo } from "./_port.ts";
import { collectGarbage } from "./gc.ts";

export type { RuntimeInfo } from "./_port.ts";

let cached: RuntimeInfo | undefined;

/**
 * Tells which runtime and engine heapler runs on, and whether the engine compresses pointers.
 *
 * Pointer compression is measured once (the heap growth of many small objects: 64 bytes each
 * with full pointers, 32 with compressed ones) and cached.
 *
 * @returns The runtime, its engine, version and pointer width.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectRuntime } from "heapler/runtime";
 * const info = detectRuntime();
 * assert(["node", "deno", "bun"].includes(info.runtime));
 * ```
 */
export function detectRuntime(): RuntimeInfo {
  cached ??= {
    runtime: port.runtime,
    engine: port.engine,
    version: port.version,
    pointerCompression: port.engine === "v8" && measureBytesPerObject() < 48,
  };
  return { ...cached };
}

/** Heap bytes per `{a, b, c, d}` object plus its array slot: 64 uncompressed, 32 compressed. */
function measureBytesPerObject(): number {
  const count = 20_000;
  collectGarbage();
  const before = port.heapUsedPrecise();
  const holder: object[] = new Array(count);
  for (let i = 0; i < count; i++) holder[i] = { a: i, b: i, c: i, d: i };
  const after = port.heapUsedPrecise();
  return holder.length === count ? (after - before) / count : Number.NaN;
}
