// Lets Node 20 run heapler's TypeScript tests: `node --import ./tests/_support/register_ts.mjs`.
import { register } from "node:module";

register("./ts_hooks.mjs", import.meta.url);
