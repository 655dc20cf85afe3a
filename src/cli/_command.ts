import type { TextStream } from "../runtime/mod.ts";

/** What a command reads and writes, so tests can run the CLI in process. */
export interface CliIo {
  stdout: TextStream & { isTTY?: boolean };
  stderr: TextStream & { isTTY?: boolean };
  env(name: string): string | undefined;
}

/** One `heapler` verb. */
export interface Command {
  name: string;
  /** One line for `heapler --help`. */
  summary: string;
  /** The full `heapler <name> --help` text. */
  usage: string;
  /** Runs the verb; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** A wrong command line: printed as one line with the usage hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Whether to colour output: a terminal, and `NO_COLOR` unset or empty. */
export function useColor(io: CliIo, stream: CliIo["stdout"] = io.stdout): boolean {
  return stream.isTTY === true && !io.env("NO_COLOR");
}

/** Bold text where colour is on. */
export function bold(text: string, color: boolean): string {
  return color ? `\u001b[1m${text}\u001b[22m` : text;
}
