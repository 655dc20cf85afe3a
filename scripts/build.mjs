// Builds the npm package into dist/: one ESM file per deno.json export plus the `heapler` bin,
// platform neutral with `node:` builtins and npm dependencies external, and .d.ts declarations.
// Run with `node scripts/build.mjs` (or `deno task build`).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
  logLevel: "warning",
});
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
