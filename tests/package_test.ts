import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { VERSION } from "../src/cli/version.ts";
import { expectedRuntime, repoRoot } from "./_support/runtime.ts";

const packageJson = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
const denoJson = JSON.parse(readFileSync(join(repoRoot, "deno.json"), "utf8"));
const distFile = (subpath: string) => `./dist/${subpath === "." ? "mod" : subpath.slice(2)}.js`;

test("package.json exports the same modules as deno.json, each with its declarations", () => {
  assert.deepEqual(Object.keys(packageJson.exports), Object.keys(denoJson.exports));
  for (const [subpath, source] of Object.entries<string>(denoJson.exports)) {
    assert.deepEqual(packageJson.exports[subpath], {
      types: "./dist/types/" + source.slice(2).replace(/\.ts$/, ".d.ts"),
      import: distFile(subpath),
      require: distFile(subpath).replace("./dist/", "./dist/cjs/").replace(/\.js$/, ".cjs"),
    });
    assert.equal(
      denoJson.imports["heapler" + subpath.slice(1)],
      source,
      `deno.json maps heapler${subpath.slice(1)}`,
    );
  }
  assert.equal(packageJson.bin.heapler, "dist/cli.js");
});

test("the built demo's program sits in a file without heapler's code, as it declares its file the program's", () => {
  const files = ["", "chunks"].flatMap((folder) =>
    readdirSync(join(repoRoot, "dist", folder)).filter((name) => name.endsWith(".js"))
      .map((name) => join(repoRoot, "dist", folder, name))
  );
  const declaring = files.filter((file) =>
    readFileSync(file, "utf8").includes("declareProgramSource(import.meta.url)")
  );
  assert.equal(declaring.length, 1, declaring.join());
  const text = readFileSync(declaring[0]!, "utf8");
  assert.match(text, /class LeakyServer|LeakyServer = class/);
  assert.doesNotMatch(text, /SummaryTracker|HeapSnapshot|function main/);
});

test("the built package imports on this runtime", async () => {
  assert.ok(existsSync(join(repoRoot, "dist/mod.js")), "dist/ is missing: run `deno task build`");
  for (const [subpath, source] of Object.entries<string>(denoJson.exports)) {
    const built = await import(join(repoRoot, distFile(subpath)));
    const original = await import(join(repoRoot, source));
    assert.deepEqual(Object.keys(built).sort(), Object.keys(original).sort(), subpath);
    assert.ok(
      existsSync(join(repoRoot, packageJson.exports[subpath].types)),
      `${subpath} declarations`,
    );
  }
  const { pp, ProcessMemoryInfo } = await import(join(repoRoot, "dist/mod.js"));
  assert.equal(pp(1025), "   1.00 KB");
  assert.ok(new ProcessMemoryInfo().rss > 0);
});

test("the package resolves by its own name through its exports", async (t) => {
  if (expectedRuntime === "deno" || "Deno" in globalThis) {
    return t.skip("Deno maps heapler/* to the sources through deno.json's import map");
  }
  const { formatTable } = await import("heapler/format" as string);
  assert.equal(typeof formatTable, "function");
});

test("the built bin runs on this runtime", () => {
  const args = /deno$/.test(process.execPath)
    ? ["run", "-A", "dist/cli.js", "--version"]
    : ["dist/cli.js", "--version"];
  const run = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, `heapler ${VERSION}\n`);
});

test("deno publish --dry-run passes JSR's checks (slow types included) and ships no tests", () => {
  const run = spawnSync(
    join(repoRoot, "node_modules", "deno", "deno"),
    ["publish", "--dry-run", "--allow-dirty"],
    { cwd: repoRoot, encoding: "utf8", timeout: 180_000, env: { ...process.env, NO_COLOR: "1" } },
  );
  const output = run.stdout + run.stderr;
  assert.equal(run.status, 0, output.slice(-2000));
  assert.match(output, /Checking for slow types in the public API/);
  assert.match(output, /Dry run complete/);
  const files = output.split("\n").filter((line) => /^\s+file:\/\//.test(line));
  assert.ok(files.some((file) => file.includes("/src/web/mod.ts ")), "the web module ships");
  assert.ok(
    files.every((file) => !file.includes("/tests/") && !file.includes("/bench/")),
    "no tests",
  );
});

test("heapler imports on Deno with read permission only (nothing is read from the environment at load)", () => {
  const dir = mkdtempSync(join(tmpdir(), "heapler-deno-read-"));
  try {
    const script = join(dir, "main.ts");
    writeFileSync(
      script,
      `import { asizeof } from ${
        JSON.stringify(join(repoRoot, "mod.ts"))
      };\nconsole.log(String(asizeof([1, 2]) > 0));\n`,
    );
    const result = spawnSync(
      join(repoRoot, "node_modules/.bin/deno"),
      ["run", `--allow-read=${repoRoot},${dir}`, script],
      { cwd: repoRoot, encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), "true");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
