/**
 * Pympler's `web` module and Django memory panel for JavaScript: a browser front end to the
 * running program's memory (process figures with a live chart, type summaries and their diff,
 * tracked classes, an interactive referrer browser, garbage and reference graphs, requests), and
 * a middleware that measures the memory of each request of your own server.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startInBackground } from "heapler/web";
 * const profiler = await startInBackground({ port: 0 });
 * const process = await (await fetch(new URL("/api/process", profiler.url))).json();
 * await profiler.close();
 * assert(process.memory.rss > 0);
 * ```
 *
 * @module
 */
export {
  createProfilerHandler,
  type ProfilerHandler,
  type ProfilerHandlerOptions,
} from "./handler.ts";
export {
  type HonoLikeContext,
  MemoryMiddleware,
  type MemoryMiddlewareOptions,
  type NodeListener,
  type NodeResponse,
  type RequestRecord,
} from "./middleware.ts";
export {
  type ProfilerOptions,
  type RunningProfiler,
  startInBackground,
  startProfiler,
} from "./server.ts";
