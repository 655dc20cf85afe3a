/**
 * The V8 runtimes, Node and Deno: both offer `node:v8`, `node:vm` and `process.memoryUsage()`.
 *
 * @module
 */
import { rmSync } from "node:fs";
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

function writeSnapshot(path: string): Promise<void> {
  v8.writeHeapSnapshot(path);
  return Promise.resolve();
}

function collect(): boolean {
  const gc = findGc();
  if (gc) {
    gc();
    return true;
  }
  // V8 collects all garbage before it takes a heap snapshot: slow, but a full GC all the same.
  const path = join(tmpdir(), `heapler-gc-${process.pid}-${Date.now()}.heapsnapshot`);
  try {
    v8.writeHeapSnapshot(path);
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
    writeHeapSnapshot: writeSnapshot,
    heapSnapshotBytes: () => undefined,
    collectGarbage: collect,
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
