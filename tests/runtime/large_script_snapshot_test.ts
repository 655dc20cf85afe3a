import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { repoRoot, scriptArgs } from "../_support/runtime.ts";

const FUNCTIONS = 40_000;
/** Generous: Node 20's own `v8.writeHeapSnapshot()` of this program does not end in minutes. */
const LIMIT_SECONDS = 60;

test(
  "a program that loaded one script of 40,000 functions (like TypeScript's compiler) is snapshot within a minute",
  () => {
    const dir = mkdtempSync(join(tmpdir(), "heapler-large-script-"));
    try {
      let script = "";
      for (let i = 0; i < FUNCTIONS; i++) script += `function f${i}(a) { return a + ${i}; }\n`;
      script += `globalThis.largeScriptFunctions = [${
        Array.from({ length: FUNCTIONS }, (_, i) => `f${i}`).join(",")
      }];\nfor (const f of globalThis.largeScriptFunctions) f(1);\n`;
      writeFileSync(join(dir, "large.cjs"), script);
      const program = join(dir, "program.mjs");
      writeFileSync(
        program,
        `import { createRequire } from "node:module";
import { takeHeapSnapshot } from ${JSON.stringify(join(repoRoot, "src/runtime/mod.ts"))};
createRequire(import.meta.url)("./large.cjs");
let bytes = 0;
for await (const chunk of takeHeapSnapshot()) bytes += chunk.length;
console.log(String(bytes));
`,
      );
      const run = spawnSync(process.execPath, scriptArgs(program), {
        cwd: repoRoot,
        encoding: "utf8",
        timeout: LIMIT_SECONDS * 1000,
      });
      assert.equal(run.error, undefined, `no snapshot within ${LIMIT_SECONDS} s`);
      assert.equal(run.status, 0, run.stderr);
      // Each function is at least one node in the snapshot: some bytes per function.
      assert.ok(Number(run.stdout.trim()) > FUNCTIONS * 10, run.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
