/**
 * The `heapler` command: verb dispatch, help, version and error reporting.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { main } from "./main.ts";
 * let text = "";
 * const sink = { write: (chunk: string) => text += chunk };
 * const code = await main(["--version"], { stdout: sink, stderr: sink, env: () => undefined });
 * assert(code === 0 && /^heapler \d/.test(text));
 * ```
 *
 * @module
 */
export type { CliIo, Command } from "./_command.ts";
export { COMMANDS, defaultIo, main } from "./main.ts";
