// Builds the npm package into dist/: one ESM file per deno.json export plus the `heapler` bin,
// platform neutral with `node:` builtins and npm dependencies external, and .d.ts declarations.
// Run with `node scripts/build.mjs` (or `deno task build`).
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const denoJson = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));

/** `"."` → `mod`, `"./process"` → `process`: the dist file name of an export. */
export function distName(subpath) {
  return subpath === "." ? "mod" : subpath.slice(2);
}

// The bin, `heapler run`'s preload (loaded by path, not an export: importing it starts watching),
// the demo's leaky server (an entry of its own so that its code sits in a file without heapler's:
// it declares its file the program's, and heapler's own code must not share it), and every export.
const entryPoints = {
  cli: join(root, "cli.ts"),
  preload: join(root, "src/run/preload.ts"),
  "demo-app": join(root, "src/demo/leaky_app.ts"),
};
for (const [subpath, source] of Object.entries(denoJson.exports)) {
  entryPoints[distName(subpath)] = join(root, source);
}

rmSync(join(root, "dist"), { recursive: true, force: true });
await build({
  entryPoints,
  outdir: join(root, "dist"),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  packages: "external",
  external: ["node:*"],
  chunkNames: "chunks/[name]-[hash]",
  // Class names are what summaries and trees show: the demo's `Response` stays `Response`.
  keepNames: true,
  logLevel: "warning",
});

// `require("heapler")`: Node 22 loads the ES module; Node 20 cannot, and is told what to do
// instead of `ERR_REQUIRE_ESM` or `ERR_PACKAGE_PATH_NOT_EXPORTED`.
mkdirSync(join(root, "dist/cjs"));
for (const subpath of Object.keys(denoJson.exports)) {
  const name = distName(subpath);
  const specifier = `heapler${subpath.slice(1)}`;
  writeFileSync(
    join(root, "dist/cjs", `${name}.cjs`),
    `"use strict";
try {
  module.exports = require("../${name}.js");
} catch (error) {
  if (!String(error && error.code).startsWith("ERR_REQUIRE")) throw error;
  throw new Error(
    "heapler is an ES module, and this Node cannot require() one (Node 22.12 and later can): " +
      'use import { ... } from "${specifier}", or await import("${specifier}") in CommonJS',
    { cause: error },
  );
}
`,
  );
}
execFileSync(process.execPath, [
  join(root, "node_modules/typescript/bin/tsc"),
  "-p",
  join(root, "tsconfig.build.json"),
], {
  stdio: "inherit",
});

// tsc keeps the `.ts` of relative imports in declarations; the package ships `.d.ts` files.
for (const entry of readdirSync(join(root, "dist/types"), { recursive: true })) {
  if (!entry.endsWith(".d.ts")) continue;
  const path = join(root, "dist/types", entry);
  writeFileSync(
    path,
    readFileSync(path, "utf8").replace(/(from\s+["']\.{1,2}\/[^"']*)\.ts(["'])/g, "$1.js$2"),
  );
}
