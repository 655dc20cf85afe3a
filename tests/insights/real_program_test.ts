import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { repoRoot, scriptArgs } from "../_support/runtime.ts";

const LIMIT_SECONDS = 120;

test("insights and growth on a real program: TypeScript's parser reading heapler's sources", () => {
  const dir = mkdtempSync(join(tmpdir(), "heapler-real-program-"));
  try {
    const program = join(dir, "program.mjs");
    const source = (path: string) => JSON.stringify(join(repoRoot, path));
    writeFileSync(
      program,
      `import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { HeapSnapshot } from ${source("src/heap/mod.ts")};
import { formatGrowth, formatInsights, insights, unboundGrowth } from ${
        source("src/insights/mod.ts")
      };
import { takeHeapSnapshot } from ${source("src/runtime/mod.ts")};
const ts = createRequire(import.meta.url)(${source("node_modules/typescript")});
const kept = [];
const snapshots = [];
for (const file of ["src/heap/parser.ts", "src/heap/heap_snapshot.ts", "src/heap/selection.ts"]) {
  const text = readFileSync(${JSON.stringify(repoRoot)} + file, "utf8");
  kept.push(ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true));
  snapshots.push(await HeapSnapshot.parse(takeHeapSnapshot()));
}
const found = insights(snapshots[2]);
const growth = unboundGrowth(snapshots);
console.log(JSON.stringify({
  lines: [...formatInsights(found), ...formatGrowth(growth)],
  strings: found.duplicatedStrings.count,
  shapes: found.objectShapes.count,
  scopes: found.closureScopes.count,
  kept: kept.length,
  growing: growth.types.items.map(({ name }) => name),
}));
`,
    );
    const run = spawnSync(process.execPath, scriptArgs(program), {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: LIMIT_SECONDS * 1000,
      maxBuffer: 1 << 26,
    });
    assert.equal(run.error, undefined, `not done within ${LIMIT_SECONDS} s`);
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim().split("\n").pop()!);
    const headings = result.lines.filter((line: string) => /^[A-Z][a-z ]+: /.test(line));
    assert.deepEqual(headings.map((line: string) => line.split(":")[0]), [
      "Duplicated strings",
      "Empty collections",
      "Oversized arrays",
      "Sparse arrays",
      "Stale collections",
      "Object shapes",
      "Closure scopes",
      "Global variables",
      "Growing types",
      "Growing shapes",
      "Growing collections",
    ]);
    // The compiler's own data: many shapes and scopes; its syntax trees grow at every step.
    assert.ok(result.shapes > 10, `shapes: ${result.shapes}`);
    assert.ok(result.scopes > 10, `scopes: ${result.scopes}`);
    assert.ok(result.growing.includes("IdentifierObject"), result.growing.join(", "));
    assert.equal(result.kept, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
