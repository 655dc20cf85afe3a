/**
 * Bun, on JavaScriptCore: snapshots from `Bun.generateHeapSnapshot("v8")`, gc from `Bun.gc`,
 * heap figures from `bun:jsc`.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import {
  type EngineMemory,
  errorText,
  type FetchHandler,
  type Listener,
  MAX_REQUEST_BODY,
  plainError,
  type RuntimePort,
  type ServeOptions,
} from "./_port.ts";

/** The part of the `Bun` global heapler uses. */
export interface BunGlobal {
  version: string;
  gc(force: boolean): void;
  generateHeapSnapshot(format: "v8", encoding: "arraybuffer"): ArrayBuffer;
  write(path: string, data: Uint8Array): Promise<number>;
  serve(
    options: ServeOptions & {
      fetch: FetchHandler;
      error(error: unknown): Response;
      maxRequestBodySize: number;
    },
  ): {
    port: number;
    stop(closeActiveConnections: boolean): Promise<void> | void;
    unref(): void;
  };
}

interface JscHeapStats {
  heapSize: number;
  heapCapacity: number;
  extraMemorySize: number;
}

interface BunJsc {
  heapStats(): JscHeapStats;
}

/** Bun's `bun:jsc`, loaded through Bun's synchronous `import.meta.require`. */
function loadJsc(): BunJsc | undefined {
  const require = (import.meta as unknown as { require?: (id: string) => unknown }).require;
  try {
    return require?.("bun:jsc") as BunJsc | undefined;
  } catch {
    return undefined;
  }
}

/** Bun on JavaScriptCore. */
export function bunPort(bun: BunGlobal): RuntimePort {
  const jsc = loadJsc();
  // V8 collects garbage before a snapshot; Bun does not (measured: dead typed arrays showed up),
  // so collect first and both kinds of snapshot hold live objects only.
  const snapshotBytes = () => {
    bun.gc(true);
    return new Uint8Array(bun.generateHeapSnapshot("v8", "arraybuffer"));
  };
  return {
    runtime: "bun",
    engine: "jsc",
    version: bun.version,
    writeHeapSnapshot: (path) => writeFileSync(path, snapshotBytes()),
    heapSnapshotBytes: snapshotBytes,
    collectGarbage() {
      bun.gc(true);
      return true;
    },
    // JavaScriptCore offers no way to drop what a snapshot leaves (measured: allocation 6x
    // slower after one snapshot, for the rest of the process).
    forgetObjectIds: () => false,
    objectIdSteps: () => undefined,
    engineMemory(): EngineMemory {
      if (!jsc) {
        return {
          heapTotal: undefined,
          heapUsed: undefined,
          external: undefined,
          arrayBuffers: undefined,
        };
      }
      const stats = jsc.heapStats();
      // process.memoryUsage() on Bun reports no array buffers (measured); JSC's own figures are used.
      return {
        heapTotal: stats.heapCapacity,
        heapUsed: stats.heapSize,
        external: stats.extraMemorySize,
        arrayBuffers: undefined,
      };
    },
    heapUsedPrecise: () => jsc?.heapStats().heapSize ?? 0,
    explainProcError: errorText,
    serve(handler, options): Promise<Listener> {
      const server = bun.serve({
        ...options,
        maxRequestBodySize: MAX_REQUEST_BODY,
        fetch: (request) => handler(request),
        // Never Bun's own error page (it shows source lines and paths).
        error: () => plainError(),
      });
      return Promise.resolve({
        hostname: options.hostname,
        port: server.port,
        close: async () => {
          await server.stop(true);
        },
        unref: () => server.unref(),
      });
    },
  };
}
