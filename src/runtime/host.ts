import process from "node:process";

/** Where heapler writes text: `process.stdout`, a file stream, or anything with `write`. */
export interface TextStream {
  write(text: string): unknown;
}

/**
 * The program's command-line arguments, without the runtime and script.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { commandLineArgs } from "./internal.ts";
 * assert(Array.isArray(commandLineArgs()));
 * ```
 */
export function commandLineArgs(): string[] {
  return process.argv.slice(2);
}

/**
 * An environment variable, or `undefined` when unset or not readable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { environmentVariable } from "./internal.ts";
 * assert(environmentVariable("HEAPLER_SURELY_UNSET") === undefined);
 * ```
 */
export function environmentVariable(name: string): string | undefined {
  try {
    return process.env[name];
  } catch {
    return undefined;
  }
}

/** The program's standard output. */
export const stdout: TextStream & { isTTY?: boolean } = process.stdout;

/** The program's standard error. */
export const stderr: TextStream & { isTTY?: boolean } = process.stderr;

/**
 * Ends the program quietly, with code 0, when its standard output is closed by its reader
 * (`heapler refs … | head`), instead of with an unhandled `EPIPE` error and its stack.
 *
 * @example
 * ```ts ignore
 * import { endQuietlyWhenOutputCloses } from "./internal.ts";
 * endQuietlyWhenOutputCloses();
 * ```
 */
export function endQuietlyWhenOutputCloses(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(0);
  });
}

/**
 * Sets the exit code the program ends with, without ending it.
 *
 * @example
 * ```ts ignore
 * import { setExitCode } from "heapler/runtime";
 * setExitCode(1);
 * ```
 */
export function setExitCode(code: number): void {
  process.exitCode = code;
}

/** The id of this process. */
export const pid: number = process.pid;

/**
 * Waits for Ctrl+C (SIGINT) or SIGTERM, once; the listeners are removed afterwards, so a second
 * Ctrl+C ends the program as usual.
 *
 * @returns The signal's name.
 *
 * @example
 * ```ts ignore
 * import { untilInterrupted } from "heapler/runtime";
 * await untilInterrupted();
 * ```
 */
export function untilInterrupted(): Promise<"SIGINT" | "SIGTERM"> {
  return new Promise((resolve) => {
    const on = (signal: "SIGINT" | "SIGTERM") => {
      process.off("SIGINT", onInterrupt);
      process.off("SIGTERM", onTerminate);
      resolve(signal);
    };
    const onInterrupt = () => on("SIGINT");
    const onTerminate = () => on("SIGTERM");
    process.once("SIGINT", onInterrupt);
    process.once("SIGTERM", onTerminate);
  });
}
