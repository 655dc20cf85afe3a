// Node module hooks that compile `.ts` files with esbuild (no type check: Deno's run does that).
import { readFile } from "node:fs/promises";
import { transform } from "esbuild";

export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !/\.[mc]?ts$/.test(new URL(url).pathname)) {
    return nextLoad(url, context);
  }
  const source = await readFile(new URL(url), "utf8");
  const { code } = await transform(source, {
    loader: "ts",
    format: "esm",
    target: "node20",
    sourcemap: "inline",
    keepNames: true,
    sourcefile: new URL(url).pathname,
  });
  return { format: "module", source: code, shortCircuit: true };
}
