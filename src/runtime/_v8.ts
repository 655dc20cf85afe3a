/**
 * The V8 runtimes, Node and Deno: both offer `node:v8`, `node:vm` and `process.memoryUsage()`.
 *
 * @module
 */
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import v8 from "node:v8";
import vm from "node:vm";
import {
  type EngineMemory,
  errorText,
  type FetchHandler,
  type Listener,
  type ObjectIdSteps,
  plainError,
  type RuntimePort,
  type ServeOptions,
} from "./_port.ts";
import { serveWithNodeHttp } from "./_serve_node.ts";

type GcFunction = () => void;

let gcFunction: GcFunction | undefined;

/** `gc()` from `--expose-gc`, or else the flag turned on now and `gc` fetched from a fresh context. */
function findGc(): GcFunction | undefined {
  if (gcFunction) return gcFunction;
  const global = (globalThis as { gc?: GcFunction }).gc;
  if (typeof global === "function") return gcFunction = global;
  try {
    v8.setFlagsFromString("--expose-gc");
    const fromContext = vm.runInNewContext("gc") as unknown;
    if (typeof fromContext === "function") return gcFunction = fromContext as GcFunction;
  } catch {
    // The runtime refuses: collectGarbage() reports false and callers fall back to a snapshot.
  }
  return undefined;
}

/** The part of `node:inspector` used to prepare a snapshot and to give and forget object ids. */
interface InspectorSession {
  connect(): void;
  post(method: string, params?: object): void;
  disconnect(): void;
}

let inspectorSession: (new () => InspectorSession) | null | undefined;

/**
 * The session of the object id steps under way (see {@linkcode objectIdSteps}): closing any
 * session has V8 forget every object id, so while steps are under way the others post on this one.
 */
let stepsSession: InspectorSession | undefined;

/**
 * Posts messages on an inspector session of the process's own: the steps' session while one is
 * open, else a new one, closed after.
 *
 * @returns Whether the messages were posted.
 */
function postInSession(...methods: string[]): boolean {
  if (stepsSession !== undefined) {
    for (const method of methods) stepsSession.post(method);
    return true;
  }
  const Session = inspectorSession ??= loadInspectorSession();
  if (Session === null) return false;
  try {
    const session = new Session();
    session.connect();
    try {
      for (const method of methods) session.post(method);
    } finally {
      session.disconnect();
    }
    return true;
  } catch {
    return false; // another debugger client in charge
  }
}

/**
 * Has V8 compute the line ends of every script, which a heap snapshot needs for each function's
 * position but cannot compute while it runs: V8 then scans the script's source once per function,
 * and a program that loaded a large single-file script (TypeScript's compiler, a bundle) takes
 * minutes to snapshot (V8's "Speeding up V8 heap snapshots", 2023; measured on Node 20: one script
 * of 40,000 functions, 19.4 s without this, 4.1 s with). Enabling the debugger computes them for
 * every script; it is disabled at once: 4-20 ms a call, 65 ms for the first (measured). Without
 * an inspector the snapshot is only slower.
 */
function prepareLineEnds(): void {
  postInSession("Debugger.enable", "Debugger.disable");
}

/**
 * Has V8 forget its snapshots' object ids: once a heap snapshot is taken, V8 keeps each object's
 * id through every move the collector makes, for the rest of the process (measured on Node 20:
 * a loop allocating 2,000,000 small objects, 130 ms before a snapshot, 670 ms after it, 130 ms
 * again after this). Disabling the inspector's heap profiler clears the ids and ends that work.
 */
function forgetObjectIds(): boolean {
  return postInSession("HeapProfiler.enable", "HeapProfiler.disable");
}

/**
 * Object ids in steps, through an inspector session of the process's own: each step starts
 * tracking heap objects again, which has V8 collect garbage and number every object it has not
 * numbered yet (8 ms a step on a small program, measured on Node 20). Closing the session ends the
 * tracking, its 50 ms timer of updates, and the ids.
 */
function objectIdSteps(): ObjectIdSteps | undefined {
  const Session = inspectorSession ??= loadInspectorSession();
  if (Session === null || stepsSession !== undefined) return undefined;
  const session = new Session();
  try {
    session.connect();
  } catch {
    return undefined; // another debugger client in charge
  }
  stepsSession = session;
  return {
    step: () => session.post("HeapProfiler.startTrackingHeapObjects", { trackAllocations: false }),
    end() {
      stepsSession = undefined;
      session.disconnect();
    },
  };
}

function loadInspectorSession(): (new () => InspectorSession) | null {
  try {
    return createRequire(import.meta.url)("node:inspector").Session;
  } catch {
    return null; // a build without the inspector: snapshots are only slower
  }
}

/** Bytecode bytes at the last {@linkcode prepareLineEnds}. */
let bytecodeWhenPrepared = -Infinity;
/** New bytecode that makes the next snapshot compute line ends again: new scripts have run. */
const NEW_CODE_BYTES = 1 << 20;

/**
 * Writes a heap snapshot, synchronously, after the scripts' line ends are computed: before the
 * process's first snapshot, and again once a megabyte of new bytecode shows that new scripts
 * ran. Not before every snapshot: the debugger leaves a few strings behind each time, which an
 * idle program's diffs would show (measured).
 */
function snapshotTo(path: string, lineEndsFirst: boolean): void {
  const bytecode = lineEndsFirst ? v8.getHeapCodeStatistics().bytecode_and_metadata_size : 0;
  if (lineEndsFirst && bytecode - bytecodeWhenPrepared >= NEW_CODE_BYTES) {
    prepareLineEnds();
    bytecodeWhenPrepared = bytecode;
  }
  v8.writeHeapSnapshot(path);
}

function collect(lineEndsFirst: boolean): boolean {
  const gc = findGc();
  if (gc) {
    gc();
    return true;
  }
  // V8 collects all garbage before it takes a heap snapshot: slow, but a full GC all the same.
  const path = join(tmpdir(), `heapler-gc-${process.pid}-${Date.now()}.heapsnapshot`);
  try {
    snapshotTo(path, lineEndsFirst);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(path, { force: true });
  }
}

function heapUsedPrecise(): number {
  return v8.getHeapStatistics().used_heap_size;
}

/** What differs between the V8 runtimes. */
interface V8Differences {
  /** Whether `process.memoryUsage().arrayBuffers` is a reading (Deno always reports 0, measured). */
  arrayBuffersReported: boolean;
  /**
   * Whether snapshots need the scripts' line ends computed first: Node 20's V8 scans a script
   * once per function without them; Deno's V8 does not (measured: 1.0x) nor, by V8's account,
   * Node 22's.
   */
  lineEndsFirst: boolean;
  explainProcError(error: unknown): string;
  serve: RuntimePort["serve"];
}

function v8Port(
  runtime: "node" | "deno",
  version: string,
  differences: V8Differences,
): RuntimePort {
  return {
    runtime,
    engine: "v8",
    version,
    writeHeapSnapshot: (path) => snapshotTo(path, differences.lineEndsFirst),
    heapSnapshotBytes: () => undefined,
    collectGarbage: () => collect(differences.lineEndsFirst),
    forgetObjectIds,
    objectIdSteps,
    engineMemory(): EngineMemory {
      const usage = process.memoryUsage();
      return {
        heapTotal: usage.heapTotal,
        heapUsed: usage.heapUsed,
        external: usage.external,
        arrayBuffers: differences.arrayBuffersReported ? usage.arrayBuffers : undefined,
      };
    },
    heapUsedPrecise,
    explainProcError: differences.explainProcError,
    serve: differences.serve,
  };
}

/** Node on V8. */
export function nodePort(): RuntimePort {
  return v8Port("node", process.versions.node ?? "unknown", {
    arrayBuffersReported: true,
    lineEndsFirst: Number(process.versions.node?.split(".")[0]) < 22,
    explainProcError: errorText,
    serve: serveWithNodeHttp,
  });
}

/** The part of the `Deno` global heapler uses. */
export interface DenoGlobal {
  version: { deno: string };
  serve(
    options: ServeOptions & { onListen(address: unknown): void; onError(error: unknown): Response },
    handler: FetchHandler,
  ): { addr: { port: number }; shutdown(): Promise<void>; unref(): void };
}

/** Deno on V8, through its Node compatibility layer, serving with `Deno.serve`. */
export function denoPort(deno: DenoGlobal): RuntimePort {
  return v8Port("deno", deno.version.deno, {
    arrayBuffersReported: false,
    lineEndsFirst: false,
    explainProcError(error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (name === "NotCapable" || name === "PermissionDenied") {
        return "Deno reads /proc/self only with all permissions: run with -A (--allow-read is not enough)";
      }
      return errorText(error);
    },
    serve(handler, options): Promise<Listener> {
      // Never Deno's own error answer: heapler's plain one.
      const server = deno.serve({ ...options, onListen() {}, onError: plainError }, handler);
      return Promise.resolve({
        hostname: options.hostname,
        port: server.addr.port,
        close: () => server.shutdown(),
        unref: () => server.unref(),
      });
    },
  });
}
