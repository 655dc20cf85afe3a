#!/usr/bin/env node
/**
 * The `heapler` command. Run it as `npx heapler`, `npx bun dist/cli.js` or `deno run -A cli.ts`.
 *
 * @module
 */
import { main } from "./src/cli/mod.ts";
import {
  commandLineArgs,
  endQuietlyWhenOutputCloses,
  setExitCode,
} from "./src/runtime/internal.ts";

endQuietlyWhenOutputCloses();
setExitCode(await main(commandLineArgs()));
