/**
 * An in-memory `CliIo` for running the CLI in process.
 *
 * @module
 */
import type { CliIo } from "../../src/cli/mod.ts";

/** A captured run: what went to stdout and stderr. */
export interface CapturedIo extends CliIo {
  out: () => string;
  err: () => string;
}

/** A `CliIo` that records output, with the given environment. */
export function captureIo(env: Record<string, string> = {}, isTTY = false): CapturedIo {
  let out = "";
  let err = "";
  return {
    stdout: { write: (text: string) => out += text, isTTY },
    stderr: { write: (text: string) => err += text, isTTY },
    env: (name) => env[name],
    out: () => out,
    err: () => err,
  };
}
