import assert from "node:assert/strict";
import { test } from "node:test";
import {
  definingEntries,
  entryBypasses,
  folderCycle,
  importsOf,
  impureImports,
  privateImports,
  sourceTree,
} from "./_support/architecture.ts";
import { repoRoot } from "./_support/runtime.ts";

const tree = sourceTree(repoRoot);
const imports = importsOf(tree);

test("the source folders form a DAG", () => {
  assert.ok(imports.length > 100, "the imports were read");
  assert.equal(folderCycle(imports), undefined);
});

test("an import into another folder goes through its mod.ts or internal.ts", () => {
  assert.deepEqual(entryBypasses(imports), []);
  assert.deepEqual(privateImports(imports), []);
});

test("every mod.ts and internal.ts only re-exports", () => {
  assert.ok([...tree.keys()].filter((path) => path.endsWith("/mod.ts")).length >= 15);
  assert.deepEqual(definingEntries(tree), []);
});

test("src/graph imports nothing of heapler", () => {
  assert.deepEqual(impureImports(imports), []);
});

test("each rule catches the tree that breaks it", () => {
  const broken = new Map([
    ["src/a/mod.ts", 'export { a } from "./a.ts";'],
    ["src/a/a.ts", 'import { b } from "../b/mod.ts";\nexport const a = b;'],
    ["src/b/mod.ts", 'export { b } from "./b.ts";\nexport const c = 1;'],
    ["src/b/b.ts", 'import { hidden } from "../a/_hidden.ts";\nexport const b = hidden;'],
    ["src/a/_hidden.ts", "/** import { x } from '../b/b.ts'; */\nexport const hidden = 1;"],
    ["src/graph/paths.ts", 'import { a } from "../a/mod.ts";'],
  ]);
  const brokenImports = importsOf(broken);
  assert.equal(folderCycle(brokenImports), "src/a → src/b → src/a");
  assert.deepEqual(privateImports(brokenImports), ["src/b/b.ts → src/a/_hidden.ts"]);
  assert.deepEqual(entryBypasses(brokenImports), ["src/b/b.ts → src/a/_hidden.ts"]);
  assert.deepEqual(definingEntries(broken), ["src/b/mod.ts: export const c = 1;"]);
  assert.deepEqual(impureImports(brokenImports), ["src/graph/paths.ts → src/a/mod.ts"]);
});
