/**
 * The only part of heapler that knows which runtime it runs on: detection, heap snapshots,
 * garbage collection, `/proc` reads, atomic file writes and the program's own I/O.
 *
 * @example
 * ```ts
 * import { collectGarbage, detectRuntime } from "heapler/runtime";
 * console.assert(detectRuntime().engine === (detectRuntime().runtime === "bun" ? "jsc" : "v8"));
 * collectGarbage();
 * ```
 *
 * @module
 */
export { detectRuntime, type RuntimeInfo } from "./detect.ts";
export { collectGarbage, settleFinalizers } from "./gc.ts";
export {
  type ChunkWriter,
  type FileContent,
  type ProcRead,
  readFileChunks,
  readProcFile,
  writeFileAtomic,
} from "./files.ts";
export { onSignal, programHandles } from "./signals.ts";
export { SnapshotUnsupportedError, takeHeapSnapshot, writeHeapSnapshot } from "./snapshot.ts";
export {
  commandLineArgs,
  environmentVariable,
  pid,
  setExitCode,
  stderr,
  stdout,
  type TextStream,
  untilInterrupted,
} from "./host.ts";
export { engineMemory, type ProcessResources, processResources } from "./memory.ts";
export type { EngineMemory } from "./_port.ts";
export { type FetchHandler, type Listener, serve, type ServeOptions } from "./serve.ts";
