import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** A runtime a program can be started on. */
export type ProgramRuntime = "node" | "deno" | "bun";

/** Options of {@linkcode runProgram}. */
export interface RunOptions {
  /** The program: `node app.js`, `deno run app.ts`, `bun app.ts`, or just `app.js`. */
  command: readonly string[];
  /** The runtime, when the command does not start with one. @default "node" */
  runtime?: ProgramRuntime;
  /**
   * Seconds between summaries, whatever they cost. Without it, summaries are at least 5 s apart
   * and spaced to take at most 5 % of the program's time.
   */
  interval?: number;
  /** Where the report goes. @default "heapler-run" */
  out?: string;
  /** Serve the web front end inside the program on this port (0: any free one). */
  webPort?: number;
  /**
   * Take no snapshot until the heap, after full collections, grows; `false` summarizes from the
   * start. @default true on Bun without an `interval` (a snapshot slows Bun for the rest of the
   * process), false otherwise
   */
  waitForGrowth?: boolean;
}

/**
 * The command line that starts the program with heapler preloaded.
 *
 * @param options The program and settings.
 * @param preload The preload module's path.
 * @returns The executable and its arguments.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { preloadedCommand } from "./run.ts";
 * const [bin, ...args] = preloadedCommand({ command: ["bun", "app.ts"] }, "/p.ts");
 * assert(bin === "bun" && args.join(" ") === "--preload /p.ts app.ts");
 * ```
 */
export function preloadedCommand(options: RunOptions, preload: string): string[] {
  const [first = "", ...rest] = options.command;
  const named = runtimeOf(first);
  const runtime = named ?? options.runtime ?? "node";
  const bin = named === undefined ? runtime : first;
  const args = named === undefined ? [...options.command] : rest;
  switch (runtime) {
    case "node":
      return [bin, "--import", preload, ...args];
    case "bun":
      return args[0] === "run"
        ? [bin, "run", "--preload", preload, ...args.slice(1)]
        : [bin, "--preload", preload, ...args];
    case "deno": {
      // heapler reads /proc and writes its report: it needs the permissions -A grants.
      const program = args[0] === "run" ? args.slice(1) : args;
      return [bin, "run", "-A", "--preload", preload, ...program.filter((arg) => arg !== "-A")];
    }
  }
}

/** The runtime an executable name stands for, if it is one. */
function runtimeOf(executable: string): ProgramRuntime | undefined {
  const name = basename(executable).replace(/\.exe$/, "");
  return name === "node" || name === "deno" || name === "bun" ? name : undefined;
}

/**
 * Starts the program with heapler preloaded and waits for it, passing its output through.
 *
 * @param options The program and settings.
 * @returns The program's exit code (128 + the signal number when a signal ended it).
 * @throws {RangeError} Without a program to run.
 */
export async function runProgram(options: RunOptions): Promise<number> {
  if (options.command.length === 0) throw new RangeError("heapler run needs a program to run");
  const runtime = runtimeOf(options.command[0]!) ?? options.runtime ?? "node";
  const preload = await preloadFor(runtime);
  try {
    return await runWith(preloadedCommand(options, preload.path), options);
  } finally {
    preload.dispose();
  }
}

/** Signals that end the program when they end heapler: passed on, so the program is not left running. */
const FORWARDED = ["SIGTERM", "SIGHUP"] as const;

async function runWith([bin, ...args]: string[], options: RunOptions): Promise<number> {
  const child = spawn(bin!, args, {
    stdio: "inherit",
    env: {
      ...process.env,
      ...(options.interval === undefined ? {} : { HEAPLER_RUN_INTERVAL: String(options.interval) }),
      HEAPLER_RUN_OUT: resolve(options.out ?? "heapler-run"),
      ...(options.webPort === undefined ? {} : { HEAPLER_RUN_WEB: String(options.webPort) }),
      ...(options.waitForGrowth === undefined
        ? {}
        : { HEAPLER_RUN_WAIT_FOR_GROWTH: options.waitForGrowth ? "1" : "0" }),
    },
  });
  // Ctrl+C reaches the program too (same process group): let it end, then pass its code on.
  // SIGTERM and SIGHUP sent to heapler alone are passed on, and heapler waits for the program.
  const ignore = () => {};
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", ignore);
  for (const signal of FORWARDED) process.on(signal, forward);
  try {
    return await new Promise<number>((done, fail) => {
      child.on("error", fail);
      child.on("exit", (code, signal) => done(code ?? 128 + signalNumber(signal)));
    });
  } finally {
    process.off("SIGINT", ignore);
    for (const signal of FORWARDED) process.off(signal, forward);
  }
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

function signalNumber(signal: string | null): number {
  return signal === null ? 0 : SIGNAL_NUMBERS[signal] ?? 1;
}

/**
 * The preload module a runtime can load: the TypeScript source for Deno and Bun in a source
 * checkout; for Node, JavaScript — the package's built `preload.js`, or in a source checkout a
 * bundle made with esbuild (a development dependency), written to a fresh private directory
 * (mode 0700, never reused) that `dispose` removes.
 */
async function preloadFor(
  runtime: ProgramRuntime,
): Promise<{ path: string; dispose: () => void }> {
  const here = import.meta.url;
  const kept = (path: string) => ({ path, dispose: () => {} });
  if (!here.endsWith(".ts")) {
    // The package: dist/preload.js, beside this bundle or one level up from its chunk.
    const built = ["./preload.js", "../preload.js"].map((path) =>
      fileURLToPath(new URL(path, here))
    );
    const found = built.find((path) => existsSync(path));
    if (found === undefined) throw new Error(`heapler's preload.js is missing from ${built[0]}`);
    return kept(found);
  }
  const source = fileURLToPath(new URL("./preload.ts", here));
  if (runtime !== "node") return kept(source);
  const { build } = await import("esbuild");
  const { outputFiles } = await build({
    entryPoints: [source],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    write: false,
  });
  const dir = mkdtempSync(join(tmpdir(), "heapler-run-"));
  // One level down: heapler takes the folder above its bundle for its own source (see
  // `heaplerHolder`), which must be this private one, not the shared temporary folder that may
  // hold the program.
  const own = join(dir, "heapler");
  mkdirSync(own, { mode: 0o700 });
  const path = join(own, "preload.mjs");
  writeFileSync(path, outputFiles[0]!.contents, { flag: "wx", mode: 0o600 });
  return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
