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
  override readonly name = "UsageError";
}

/** Whether to colour output: a terminal, and `NO_COLOR` unset or empty. */
export function useColor(io: CliIo, stream: CliIo["stdout"] = io.stdout): boolean {
  return stream.isTTY === true && !io.env("NO_COLOR");
}

/** Bold text where colour is on. */
export function bold(text: string, color: boolean): string {
  return color ? `\u001b[1m${text}\u001b[22m` : text;
}

/**
 * The candidate closest to a mistyped word, if one is close: at most two edits away (one for
 * short words), counting a swap of neighbours as one edit.
 *
 * @param word What was typed.
 * @param candidates What it may have meant.
 * @returns The suggestion, or undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closest } from "./_command.ts";
 * assert(closest("summry", ["summary", "diff"]) === "summary");
 * assert(closest("xyz", ["summary", "diff"]) === undefined);
 * ```
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = word.length <= 4 ? 1 : 2;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Edits (insert, delete, replace, swap of neighbours) between two words. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
