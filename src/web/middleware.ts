/**
 * Pympler's Django memory panel for JavaScript servers: per request, process memory before and
 * after, and the tracked-class instances made while it ran.
 *
 * @module
 */
import type { ClassTracker } from "../classtracker/mod.ts";
import { ppShort } from "../format/mod.ts";
import { heaplerSlot } from "../heap/internal.ts";
import { ProcessMemoryInfo } from "../process/mod.ts";
import type { FetchHandler } from "../runtime/internal.ts";
import { engineMemory } from "../runtime/mod.ts";
import type { IncomingMessage, ServerResponse } from "node:http";

/** What one request did to memory. */
export interface RequestRecord {
  /** A serial number, from 1. */
  id: number;
  /** The HTTP method. */
  method: string;
  /** The path and query. */
  path: string;
  /** The response status; 500 when the handler threw. */
  status: number;
  /** When it started, in milliseconds since the epoch. */
  start: number;
  /** How long it took, in milliseconds. */
  duration: number;
  /** Resident set size before, in bytes (null where unknown). */
  rssBefore: number | null;
  /** Resident set size after, in bytes (null where unknown). */
  rssAfter: number | null;
  /** Virtual size before, in bytes (null where unknown). */
  vszBefore: number | null;
  /** Virtual size after, in bytes (null where unknown). */
  vszAfter: number | null;
  /** JS heap in use before, in bytes (null where unknown). */
  heapBefore: number | null;
  /** JS heap in use after, in bytes (null where unknown). */
  heapAfter: number | null;
  /** Instances of tracked classes made while it ran, by class. */
  created: Record<string, number>;
  /**
   * How many other requests ran at some moment during this one: when not 0, the deltas include
   * their work too and are approximate.
   */
  overlapping: number;
}

/** Options of {@linkcode MemoryMiddleware}. */
export interface MemoryMiddlewareOptions {
  /** Count the instances its tracked classes make per request. */
  tracker?: ClassTracker;
  /** How many of the latest requests are kept. @default 100 */
  limit?: number;
  /** Add a `Server-Timing` header with the memory deltas and the duration. @default false */
  serverTiming?: boolean;
}

/** A `node:http` request listener, as far as the middleware needs one. */
export type NodeListener<Req, Res extends NodeResponse> = (request: Req, response: Res) => unknown;

/** The part of `node:http`'s `ServerResponse` the middleware uses. */
export interface NodeResponse {
  /** The status sent, or to be sent. */
  statusCode: number;
  /** Sets a header before the head is written. */
  setHeader(name: string, value: string): unknown;
  /** Writes the status and headers. */
  writeHead(...args: never[]): unknown;
  /** Called once the response is sent or the connection closed. */
  once(event: "finish" | "close", listener: () => void): unknown;
}

/** A Hono-style context, as far as the middleware needs one. */
export interface HonoLikeContext {
  /** The request, whose `raw` is the fetch `Request`. */
  req: { raw: Request };
  /** The response, once the route has answered. */
  res: Response;
}

interface Measurement {
  at: number;
  clock: number;
  rss: number | null;
  vsz: number | null;
  heap: number | null;
  mark: number;
}

interface Log {
  records: RequestRecord[];
  serial: number;
  running: Set<{ overlapping: number }>;
}

/**
 * Measures the memory of each request of a server and keeps the latest ones, for the web front
 * end's Requests page (`startProfiler({ requests })`) or your own use. Works as a wrapper of a
 * fetch handler (`Deno.serve`, `Bun.serve`), a Hono middleware, or a wrapper of a `node:http`
 * listener.
 *
 * Process memory is the whole process's: with requests running at once (overlapping) a delta
 * includes the others' work, and each record says how many overlapped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemoryMiddleware } from "heapler/web";
 * const memory = new MemoryMiddleware({ serverTiming: true });
 * const handler = memory.wrap(() => new Response("hello"));
 * const response = await handler(new Request("http://localhost/hi"));
 * assert(response.headers.get("server-timing")?.includes("rss") && memory.records[0]?.path === "/hi");
 * ```
 */
export class MemoryMiddleware {
  /** How many requests are kept. */
  readonly limit: number;
  readonly #tracker: ClassTracker | undefined;
  readonly #serverTiming: boolean;
  readonly #log = heaplerSlot<Log>(this, {
    records: [],
    serial: 0,
    running: new Set(),
  });

  /**
   * Makes a middleware with its own record of requests.
   *
   * @param options Tracker, how many requests are kept, and the `Server-Timing` header.
   * @throws {RangeError} For a limit that is not a positive whole number.
   */
  constructor(options: MemoryMiddlewareOptions = {}) {
    const limit = options.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`The limit is a positive whole number of requests, not ${limit}`);
    }
    this.limit = limit;
    this.#tracker = options.tracker;
    this.#serverTiming = options.serverTiming ?? false;
  }

  /** The latest requests, newest first. */
  get records(): readonly RequestRecord[] {
    return this.#log.get().records;
  }

  /** Whether a tracker counts instances per request. */
  get tracksClasses(): boolean {
    return this.#tracker !== undefined;
  }

  /**
   * Wraps a fetch handler (for `Deno.serve`, `Bun.serve`, or any `(Request) => Response`).
   *
   * @param handler The handler.
   * @returns The measured handler.
   */
  wrap(handler: FetchHandler): (request: Request) => Promise<Response> {
    return async (request) => {
      const url = new URL(request.url);
      const run = this.#begin();
      let response: Response;
      try {
        response = await handler(request);
      } catch (error) {
        this.#end(run, request.method, url.pathname + url.search, 500);
        throw error;
      }
      const record = this.#end(run, request.method, url.pathname + url.search, response.status);
      if (!this.#serverTiming) return response;
      const headers = new Headers(response.headers);
      headers.append("server-timing", serverTiming(record));
      return new Response(response.body, {
        status: response.status,
        statusText: response.statusText,
        headers,
      });
    };
  }

  /**
   * A Hono middleware: `app.use(memory.hono)`.
   *
   * @param context Hono's context.
   * @param next The rest of the chain.
   */
  hono = async (context: HonoLikeContext, next: () => Promise<void>): Promise<void> => {
    const url = new URL(context.req.raw.url);
    const run = this.#begin();
    try {
      await next();
    } finally {
      const record = this.#end(
        run,
        context.req.raw.method,
        url.pathname + url.search,
        context.res.status,
      );
      if (this.#serverTiming) context.res.headers.append("server-timing", serverTiming(record));
    }
  };

  /**
   * Wraps a `node:http` request listener: `createServer(memory.wrapNode(listener))`. The
   * `Server-Timing` header, when asked for, is measured when the headers are written. A listener
   * written inline gets `node:http`'s request and response types.
   *
   * @param listener The listener.
   * @returns The measured listener.
   */
  wrapNode<
    Req extends { method?: string | undefined; url?: string | undefined } = IncomingMessage,
    Res extends NodeResponse = ServerResponse,
  >(
    listener: NodeListener<Req, Res>,
  ): NodeListener<Req, Res> {
    return (request, response) => {
      const run = this.#begin();
      let ended = false;
      const end = () => {
        if (ended) return undefined;
        ended = true;
        return this.#end(run, request.method ?? "GET", request.url ?? "/", response.statusCode);
      };
      if (this.#serverTiming) {
        const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => unknown;
        (response as unknown as { writeHead: (...args: unknown[]) => unknown }).writeHead = (
          ...args
        ) => {
          if (typeof args[0] === "number") response.statusCode = args[0];
          const record = end();
          if (record) response.setHeader("server-timing", serverTiming(record));
          return writeHead(...args);
        };
      }
      response.once("finish", end);
      response.once("close", end);
      return listener(request, response);
    };
  }

  /** Forgets every record. */
  clear(): void {
    this.#log.get().records.length = 0;
  }

  #begin(): { before: Measurement; overlap: { overlapping: number } } {
    const log = this.#log.get();
    const overlap = { overlapping: log.running.size };
    for (const other of log.running) other.overlapping++;
    log.running.add(overlap);
    return { before: this.#measure("heap last"), overlap };
  }

  #end(
    run: { before: Measurement; overlap: { overlapping: number } },
    method: string,
    path: string,
    status: number,
  ): RequestRecord {
    const after = this.#measure("heap first");
    const log = this.#log.get();
    log.running.delete(run.overlap);
    const { before } = run;
    const record: RequestRecord = {
      id: ++log.serial,
      method,
      path,
      status,
      start: before.at,
      duration: after.clock - before.clock,
      rssBefore: before.rss,
      rssAfter: after.rss,
      vszBefore: before.vsz,
      vszAfter: after.vsz,
      heapBefore: before.heap,
      heapAfter: after.heap,
      created: Object.fromEntries(this.#tracker?.registeredSince(before.mark) ?? []),
      overlapping: run.overlap.overlapping,
    };
    log.records.unshift(record);
    if (log.records.length > this.limit) log.records.length = this.limit;
    return record;
  }

  /**
   * Process memory now. Reading `/proc` allocates (some 30 KB on V8, measured): the JS heap is
   * read after it when a request begins and before it when it ends, so a request's heap change
   * is its own allocations, not the measuring's.
   */
  #measure(order: "heap last" | "heap first"): Measurement {
    const heapUsed = () => engineMemory().heapUsed ?? null;
    const heapBefore = order === "heap first" ? heapUsed() : null;
    const info = new ProcessMemoryInfo();
    return {
      at: Date.now(),
      clock: performance.now(),
      rss: info.rss ?? null,
      vsz: info.vsz ?? null,
      heap: order === "heap first" ? heapBefore : heapUsed(),
      mark: this.#tracker?.registered ?? 0,
    };
  }
}

/** `Server-Timing` entries: the duration, and the memory deltas as descriptions. */
function serverTiming(record: RequestRecord): string {
  const parts = [`app;dur=${record.duration.toFixed(1)}`];
  const delta = (label: string, before: number | null, after: number | null) => {
    if (before === null || after === null) return;
    const change = after - before;
    parts.push(
      `${label};desc="${label} ${change >= 0 ? "+" : "-"}${ppShort(Math.abs(change))}"`,
    );
  };
  delta("rss", record.rssBefore, record.rssAfter);
  delta("heap", record.heapBefore, record.heapAfter);
  return parts.join(", ");
}
