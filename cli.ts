#!/usr/bin/env node
/**
 * The `heapler` command. Run it as `npx heapler`, `npx bun dist/cli.js` or `deno run -A cli.ts`.
 *
 * @module
 */
import { main } from "./src/cli/mod.ts";
import { commandLineArgs, setExitCode } from "./src/runtime/internal.ts";

setExitCode(await main(commandLineArgs()));
