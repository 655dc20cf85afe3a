/**
 * `heapler run`: starts a program on Node, Deno or Bun with heapler's preload (see
 * `preload.ts`), which reports the types that grow as it runs and writes a report at the end.
 *
 * @module
 */
export { preloadedCommand, type ProgramRuntime, type RunOptions, runProgram } from "./run.ts";
