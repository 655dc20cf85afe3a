/**
 * Snapshots a program that loaded one large script (a generated file of many small functions,
 * like TypeScript's compiler or a bundle): the engine's own `v8.writeHeapSnapshot()` against
 * heapler's `takeHeapSnapshot()`, each in a fresh process of every runtime given, and prints the
 * times and their ratio. On Node 20 the engine's call scans the script once per function (V8
 * cannot compute line ends while it snapshots); heapler has them computed first.
 *
 *   node --import ./tests/_support/register_ts.mjs bench/snapshot_bench.ts [functions] [runtime ...]
 *
 * Defaults: 40,000 functions; node and deno (Bun's snapshot is JavaScriptCore's, without the
 * problem, and has no `v8.writeHeapSnapshot`).
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { nodeExecutable } from "../tests/_support/runtime.ts";

const root = join(import.meta.dirname ?? ".", "..");
const args = process.argv.slice(2);
const functions = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 40_000);
const runtimes = args.filter((arg) => arg === "node" || arg === "deno");
const dir = mkdtempSync(join(tmpdir(), "heapler-snapshot-bench-"));
const LIMIT_SECONDS = 300;

let script = "";
for (let i = 0; i < functions; i++) script += `function f${i}(a) { return a + ${i}; }\n`;
script += `globalThis.benchFunctions = [${
  Array.from({ length: functions }, (_, i) => `f${i}`).join(",")
}];\nfor (const f of globalThis.benchFunctions) f(1);\n`;
writeFileSync(join(dir, "large.cjs"), script);

const ways: Record<string, string> = {
  "v8.writeHeapSnapshot": `import v8 from "node:v8";
const started = performance.now();
v8.writeHeapSnapshot(${JSON.stringify(join(dir, "engine.heapsnapshot"))});
console.log((performance.now() - started) / 1000);`,
  "heapler takeHeapSnapshot": `import { takeHeapSnapshot } from ${
    JSON.stringify(join(root, "src/runtime/mod.ts"))
  };
const started = performance.now();
for await (const _chunk of takeHeapSnapshot());
console.log((performance.now() - started) / 1000);`,
};

function command(runtime: string, file: string): string[] {
  if (runtime === "deno") return [join(root, "node_modules/.bin/deno"), "run", "-A", file];
  return [nodeExecutable(), "--import", join(root, "tests/_support/register_ts.mjs"), file];
}

try {
  for (const runtime of runtimes.length > 0 ? runtimes : ["node", "deno"]) {
    const seconds: Record<string, number | string> = {};
    for (const [name, body] of Object.entries(ways)) {
      const file = join(dir, `${name.replace(/\W/g, "_")}.mjs`);
      writeFileSync(
        file,
        `import { createRequire } from "node:module";\ncreateRequire(import.meta.url)("./large.cjs");\n${body}\n`,
      );
      const [exe, ...rest] = command(runtime, file);
      const run = spawnSync(exe!, rest, {
        cwd: dir,
        encoding: "utf8",
        timeout: LIMIT_SECONDS * 1000,
      });
      seconds[name] = run.status === 0
        ? Number(run.stdout.trim().split("\n").at(-1))
        : run.error !== undefined
        ? `over ${LIMIT_SECONDS} s`
        : `failed: ${run.stderr.trim().split("\n").at(-1)}`;
    }
    const engine = seconds["v8.writeHeapSnapshot"];
    const ours = seconds["heapler takeHeapSnapshot"];
    const show = (value: number | string | undefined) =>
      typeof value === "number" ? `${value.toFixed(1)} s` : String(value);
    const ratio = typeof engine === "number" && typeof ours === "number"
      ? `, ${(engine / ours).toFixed(1)}x faster`
      : "";
    process.stdout.write(
      `${runtime}, one script of ${functions} functions: v8.writeHeapSnapshot ${
        show(engine)
      }, heapler ${show(ours)}${ratio}\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
