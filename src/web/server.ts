/**
 * Pympler's `start_profiler` and `start_in_background`: the front end's handler on a listener of
 * the runtime heapler runs on.
 *
 * @module
 */
import { serve, stderr } from "../runtime/internal.ts";
import { type TextStream } from "../runtime/mod.ts";
import { createProfilerHandler, isLoopback, type ProfilerHandlerOptions } from "./handler.ts";

/** Options of {@linkcode startProfiler} and {@linkcode startInBackground}. */
export interface ProfilerOptions extends ProfilerHandlerOptions {
  /** The address to listen on. @default "127.0.0.1" */
  host?: string;
  /** The port; 0 lets the system choose. @default 8090 */
  port?: number;
  /**
   * Needed to listen on an address other than the loopback one: the heap is then reachable from
   * the network, behind the token. @default false
   */
  remote?: boolean;
}

/** A running front end. */
export interface RunningProfiler {
  /** Where to open it; carries the token when every request needs it. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The token state changes need. */
  readonly token: string;
  /** Stops it. */
  close(): Promise<void>;
}

/**
 * Starts the front end and returns at once. Like Pympler's daemon thread, it does not keep the
 * process alive by itself.
 *
 * @param options Address, port, and what to show.
 * @returns The running front end.
 * @throws {RangeError} For a non-loopback address without `remote: true`, or a bad port.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { startInBackground } from "heapler/web";
 * const profiler = await startInBackground({ port: 0 });
 * const page = await (await fetch(profiler.url)).text();
 * await profiler.close();
 * assert(page.includes("Process overview"));
 * ```
 */
export async function startInBackground(options: ProfilerOptions = {}): Promise<RunningProfiler> {
  const running = await listen(options);
  running.unref();
  return running;
}

/**
 * Serves the front end until `signal` aborts (or forever), telling its address on `stream`.
 *
 * @param options Address, port, what to show, the stop signal and where to tell the address.
 * @returns When the server has stopped.
 *
 * @example
 * ```ts ignore
 * import { ClassTracker } from "heapler/classtracker";
 * import { startProfiler } from "heapler/web";
 * await startProfiler({ tracker: new ClassTracker(), port: 8090 });
 * ```
 */
export async function startProfiler(
  options: ProfilerOptions & { signal?: AbortSignal; stream?: TextStream } = {},
): Promise<void> {
  const running = await listen(options);
  (options.stream ?? stderr).write(`heapler web front end at ${running.url}\n`);
  await new Promise<void>((done) => {
    if (options.signal?.aborted) return done();
    options.signal?.addEventListener("abort", () => done(), { once: true });
  });
  await running.close();
}

async function listen(options: ProfilerOptions): Promise<RunningProfiler & { unref(): void }> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8090;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`The port is a whole number from 0 to 65535, not ${port}`);
  }
  if (!isLoopback(host) && !options.remote) {
    throw new RangeError(
      `Listening on ${host} exposes the program's heap to the network: pass remote: true to mean it (the pages then need the token)`,
    );
  }
  const handler = createProfilerHandler({ ...options, host });
  const listener = await serve(handler, { hostname: host, port });
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const url = `http://${shownHost}:${listener.port}/${
    handler.requireToken ? `?token=${handler.token}` : ""
  }`;
  return {
    url,
    port: listener.port,
    token: handler.token,
    close: () => listener.close(),
    unref: () => listener.unref(),
  };
}
