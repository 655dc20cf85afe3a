/** heapler's version; a test keeps it equal to `package.json` and `deno.json`. */
export const VERSION = "0.1.0";
