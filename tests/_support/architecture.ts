// The rules the source tree keeps, checked on a map of file path → text so a test can check both
// the real tree and small trees built to break each rule.
//
// 1. Folders form a DAG: no cycle of imports between folders.
// 2. An import into another folder goes to its `mod.ts` (the public API) or `internal.ts` (what
//    heapler's other folders may use beyond it), never to one of its files, private or not.
// 3. A `mod.ts` or `internal.ts` only re-exports: no declarations, no statements.
// 4. `src/graph/` (the pure algorithms) imports nothing of heapler.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

/** One import of a relative module. */
export interface Import {
  from: string;
  to: string;
}

/** The source files of the tree at `root` that the rules cover: `mod.ts`, `cli.ts` and `src/`. */
export function sourceTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(join(root, folder))) {
      const path = join(folder, entry);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) files.set(path, readFileSync(join(root, path), "utf8"));
    }
  };
  walk("src");
  for (const top of ["mod.ts", "cli.ts"]) files.set(top, readFileSync(join(root, top), "utf8"));
  return files;
}

/** The text without comments, so an `import` in a doc example is not an import. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** Every relative import (static, re-export or dynamic) of every file. */
export function importsOf(files: ReadonlyMap<string, string>): Import[] {
  const imports: Import[] = [];
  for (const [path, text] of files) {
    const specifiers = code(text).matchAll(
      /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g,
    );
    for (const [, specifier] of specifiers) {
      imports.push({ from: path, to: normalize(join(dirname(path), specifier!)) });
    }
  }
  return imports;
}

const folderOf = (path: string) => dirname(path);
const fileName = (path: string) => path.slice(dirname(path).length + 1);

/** The folders on one import cycle, as `a → b → a`, or undefined when the folders form a DAG. */
export function folderCycle(imports: readonly Import[]): string | undefined {
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    const [a, b] = [folderOf(from), folderOf(to)];
    if (a === b) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
  }
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (folder: string): string | undefined => {
    if (state.get(folder) === "done") return undefined;
    if (state.get(folder) === "open") {
      return [...stack.slice(stack.indexOf(folder)), folder].join(" → ");
    }
    state.set(folder, "open");
    stack.push(folder);
    for (const next of edges.get(folder) ?? []) {
      const cycle = visit(next);
      if (cycle !== undefined) return cycle;
    }
    stack.pop();
    state.set(folder, "done");
    return undefined;
  };
  for (const folder of edges.keys()) {
    const cycle = visit(folder);
    if (cycle !== undefined) return cycle;
  }
  return undefined;
}

/** Each import into another folder that bypasses its entries, as `from → to`. */
export function entryBypasses(imports: readonly Import[]): string[] {
  return imports
    .filter(({ from, to }) =>
      folderOf(from) !== folderOf(to) && !["mod.ts", "internal.ts"].includes(fileName(to))
    )
    .map(({ from, to }) => `${from} → ${to}`);
}

/** Each import of another folder's private (`_`-prefixed) file, as `from → to`. */
export function privateImports(imports: readonly Import[]): string[] {
  return imports
    .filter(({ from, to }) => folderOf(from) !== folderOf(to) && fileName(to).startsWith("_"))
    .map(({ from, to }) => `${from} → ${to}`);
}

/** Each entry file (`mod.ts`, `internal.ts`) with a statement that is not a re-export. */
export function definingEntries(files: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [path, text] of files) {
    if (!["mod.ts", "internal.ts"].includes(fileName(path))) continue;
    const rest = code(text)
      .replace(
        /export\s+(?:type\s+)?(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?)\s*from\s*["'][^"']+["'];?/g,
        "",
      )
      .trim();
    if (rest !== "") found.push(`${path}: ${rest.split("\n")[0]}`);
  }
  return found;
}

/** Each import out of the folders that must import nothing of heapler (`src/graph`). */
export function impureImports(imports: readonly Import[]): string[] {
  return imports
    .filter(({ from, to }) => folderOf(from) === "src/graph" && folderOf(to) !== "src/graph")
    .map(({ from, to }) => `${from} → ${relative(".", to)}`);
}
