/**
 * How the three test runners report their counts, read from their output by `run_all.ts`.
 *
 * @module
 */

/** A runtime the suite runs on. */
export type Runtime = "deno" | "node" | "bun";

// deno-lint-ignore no-control-regex -- matching control characters is the point
const colours = /\u001b\[[0-9;]*m/g;

/** Reads the runner's own closing counts from its output. */
export function counts(
  runtime: Runtime,
  output: string,
): { passed: number; failed: number; skipped: number } {
  // deno: "ok | 12 passed (3 steps) | 0 failed | 2 ignored"; node spec: "ℹ pass 12", "ℹ fail 0",
  // "ℹ cancelled 0", "ℹ skipped 1", "ℹ todo 0"; bun: " 12 pass", " 0 fail", " 3 skip", " 1 todo".
  const clean = output.replace(colours, "");
  const last = (pattern: RegExp) => {
    const all = [...clean.matchAll(pattern)];
    return Number(all.at(-1)?.[1] ?? 0);
  };
  if (runtime === "deno") {
    return {
      passed: last(/(\d+) passed/g),
      failed: last(/(\d+) failed/g),
      skipped: last(/(\d+) ignored/g),
    };
  }
  if (runtime === "node") {
    return {
      passed: last(/^ℹ pass (\d+)$/gm),
      failed: last(/^ℹ fail (\d+)$/gm) + last(/^ℹ cancelled (\d+)$/gm),
      skipped: last(/^ℹ skipped (\d+)$/gm) + last(/^ℹ todo (\d+)$/gm),
    };
  }
  return {
    passed: last(/^\s*(\d+) pass$/gm),
    failed: last(/^\s*(\d+) fail$/gm),
    skipped: last(/^\s*(\d+) skip$/gm) + last(/^\s*(\d+) todo$/gm),
  };
}

/**
 * Names the failed tests in the runner's output, each once, so the suite's last lines say what
 * failed even when only the end of a long log is kept.
 */
export function failures(runtime: Runtime, output: string): string[] {
  const lines = output.replace(colours, "").split("\n").map((line) => line.trim());
  const named = (): string[] => {
    switch (runtime) {
      case "deno": {
        // After the "FAILURES" heading: "name => ./tests/file_test.ts:12:6".
        const heading = lines.indexOf("FAILURES");
        return heading < 0 ? [] : lines.slice(heading + 1).filter((line) => line.includes(" => "));
      }
      case "node":
        // "✖ name (12.3ms)", under its suite and again under "✖ failing tests:".
        return lines.filter((line) => line.startsWith("✖ ") && line !== "✖ failing tests:")
          .map((line) => line.slice(2).replace(/ \([\d.]+m?s\)$/, ""));
      case "bun":
        // "(fail) name [12.00ms]".
        return lines.filter((line) => line.startsWith("(fail) "))
          .map((line) => line.slice(7).replace(/ \[[\d.]+m?s\]$/, ""));
    }
  };
  return [...new Set(named())];
}
