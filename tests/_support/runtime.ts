/**
 * What the test runner says the tests run on (HEAPLER_EXPECT_RUNTIME), for tests that check
 * detection or skip what a runtime cannot do, with the reason.
 *
 * @module
 */
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import process from "node:process";

/** The runtime the runner started, or undefined when a test file is run by hand. */
export const expectedRuntime: string | undefined = process.env.HEAPLER_EXPECT_RUNTIME;

/** The root of the repository. */
export const repoRoot: string = new URL("../..", import.meta.url).pathname;

/** Node's own executable from PATH (Deno's child_process turns a bare "node" into Deno itself). */
export function nodeExecutable(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "node");
    if (existsSync(candidate) && !candidate.includes("node_modules")) return candidate;
  }
  throw new Error("Node.js is not on PATH");
}

/**
 * The arguments that make this test's own runtime (`process.execPath`) run a TypeScript or
 * JavaScript file, with every permission on Deno and the TypeScript hook on Node.
 */
export function scriptArgs(script: string): string[] {
  const exe = process.execPath;
  if (/deno$/.test(exe)) return ["run", "-A", script];
  if (/bun$/.test(exe)) return [script];
  return ["--import", join(repoRoot, "tests/_support/register_ts.mjs"), script];
}

/** The arguments that make this test's own runtime (`process.execPath`) run `cli.ts`. */
export function cliArgs(args: string[]): string[] {
  return [...scriptArgs("cli.ts"), ...args];
}
