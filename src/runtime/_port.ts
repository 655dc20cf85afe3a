/**
 * The port every runtime implements: the only things heapler asks of Node, Deno or Bun.
 * One implementation per runtime lives beside this file; `mod.ts` picks one, once.
 *
 * @module
 */

/** Which JavaScript runtime and engine heapler is running on. */
export interface RuntimeInfo {
  /** The runtime's name. */
  runtime: "node" | "deno" | "bun";
  /** The engine under it: V8 for Node and Deno, JavaScriptCore for Bun. */
  engine: "v8" | "jsc";
  /** The runtime's own version, e.g. `"20.20.2"`. */
  version: string;
  /** Whether the engine stores tagged pointers in 32 bits (measured, not guessed). */
  pointerCompression: boolean;
}

/** The engine's own heap figures in bytes; a field the runtime does not report is `undefined`. */
export interface EngineMemory {
  heapTotal: number | undefined;
  heapUsed: number | undefined;
  external: number | undefined;
  arrayBuffers: number | undefined;
}

/** The result of reading a `/proc/self/*` file: its bytes, or why it could not be read. */
export type ProcRead = { bytes: Uint8Array } | { error: string };

/** A fetch-style request handler: what heapler's web front end is. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Where to listen. */
export interface ServeOptions {
  /** The address to bind, e.g. `127.0.0.1`. */
  hostname: string;
  /** The port; 0 lets the system choose. */
  port: number;
}

/** A listening server. */
export interface Listener {
  /** The address it is bound to. */
  readonly hostname: string;
  /** The port it listens on (the chosen one when asked for 0). */
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
  /** Lets the process exit while the server listens (a daemon, as Pympler's background thread). */
  unref(): void;
}

/** Object ids given in steps (see `RuntimePort.objectIdSteps`). */
export interface ObjectIdSteps {
  /**
   * Collects garbage, then gives every live object that has no id yet one above every id given
   * before, and keeps the ids through the collector's moves.
   */
  step(): void;
  /** Ends the steps: the engine forgets every object id, as `forgetObjectIds` has it do. */
  end(): void;
}

/** What one runtime implements. */
export interface RuntimePort {
  readonly runtime: RuntimeInfo["runtime"];
  readonly engine: RuntimeInfo["engine"];
  readonly version: string;
  /**
   * Writes a V8-format heap snapshot of the running program to `path`, synchronously: no
   * operation of it is left in flight for the next snapshot to see.
   */
  writeHeapSnapshot(path: string): void;
  /** The V8-format heap snapshot as bytes, for runtimes that make it in memory (else undefined). */
  heapSnapshotBytes(): Uint8Array | undefined;
  /** Runs a full, synchronous garbage collection; false if the runtime offers none. */
  collectGarbage(): boolean;
  /**
   * Has the engine forget the object ids its snapshots gave, and with them the work of keeping
   * them (V8 updates them on every object move once a snapshot was taken); false if it cannot.
   */
  forgetObjectIds(): boolean;
  /**
   * Starts giving the live objects ids in steps, so that one later snapshot tells between which
   * two steps each object was made; undefined where the engine cannot (JavaScriptCore's ids are
   * not stable) or the inspector is out of reach.
   */
  objectIdSteps(): ObjectIdSteps | undefined;
  /** The engine's heap figures. */
  engineMemory(): EngineMemory;
  /** Bytes of JS heap in use, as precisely as the engine tells (for calibration). */
  heapUsedPrecise(): number;
  /** Explains a failed `/proc` read in this runtime's terms (e.g. a missing permission flag). */
  explainProcError(error: unknown): string;
  /** Answers HTTP requests on an address with a fetch-style handler. */
  serve(handler: FetchHandler, options: ServeOptions): Promise<Listener>;
}

/** The message of an error, or the thing thrown as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The largest request body a server of heapler's takes, on every runtime. */
export const MAX_REQUEST_BODY = 1 << 20;

/** What a server answers when its handler fails beyond its own error pages: no source, no stack. */
export function plainError(): Response {
  return new Response("heapler: internal error\n", {
    status: 500,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}
