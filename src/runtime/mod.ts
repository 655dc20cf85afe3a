/**
 * The only part of heapler that knows which runtime it runs on: detection, heap snapshots,
 * garbage collection, `/proc` reads, atomic file writes and the program's own I/O.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectGarbage, detectRuntime } from "heapler/runtime";
 * assert(detectRuntime().engine === (detectRuntime().runtime === "bun" ? "jsc" : "v8"));
 * collectGarbage();
 * ```
 *
 * @module
 */
export { detectRuntime, type RuntimeInfo } from "./detect.ts";
export { collectGarbage, forgetObjectIds, settleFinalizers } from "./gc.ts";
export { SnapshotUnsupportedError, takeHeapSnapshot, writeHeapSnapshot } from "./snapshot.ts";
export type { TextStream } from "./host.ts";
export { engineMemory, type ProcessResources, processResources } from "./memory.ts";
export type { EngineMemory } from "./_port.ts";
