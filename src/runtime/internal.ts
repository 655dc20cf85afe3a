/**
 * What heapler's other modules use of the runtime port beyond its public API: files, signals,
 * the live heap's size, the program's own I/O and the HTTP server.
 *
 * @module
 */
export {
  type ChunkWriter,
  type FileContent,
  type ProcRead,
  readFileChunks,
  readProcFile,
  writeFileAtomic,
} from "./files.ts";
export { liveHeapBytes, objectIdSteps } from "./gc.ts";
export type { ObjectIdSteps } from "./_port.ts";
export { objectIdsKept } from "./snapshot.ts";
export { onSignal, programHandles } from "./signals.ts";
export {
  commandLineArgs,
  endQuietlyWhenOutputCloses,
  environmentVariable,
  pid,
  setExitCode,
  stderr,
  stdout,
  untilInterrupted,
} from "./host.ts";
export { type FetchHandler, type Listener, serve, type ServeOptions } from "./serve.ts";
