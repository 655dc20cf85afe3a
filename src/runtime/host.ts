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
 * import { commandLineArgs } from "heapler/runtime";
 * console.assert(Array.isArray(commandLineArgs()));
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
 * import { environmentVariable } from "heapler/runtime";
 * console.assert(environmentVariable("HEAPLER_SURELY_UNSET") === undefined);
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
