import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { main } from "../../src/cli/mod.ts";
import { preloadedCommand } from "../../src/run/mod.ts";
import { captureIo } from "../_support/io.ts";
import { repoRoot } from "../_support/runtime.ts";

test("preloadedCommand puts the preload where each runtime takes it", () => {
  assert.deepEqual(preloadedCommand({ command: ["node", "app.js", "-x"] }, "/p.mjs"), [
    "node",
    "--import",
    "/p.mjs",
    "app.js",
    "-x",
  ]);
  assert.deepEqual(
    preloadedCommand({ command: ["/usr/bin/deno", "run", "--allow-net", "app.ts"] }, "/p.ts"),
    [
      "/usr/bin/deno",
      "run",
      "-A",
      "--preload",
      "/p.ts",
      "--allow-net",
      "app.ts",
    ],
  );
  assert.deepEqual(preloadedCommand({ command: ["bun", "run", "app.ts"] }, "/p.ts"), [
    "bun",
    "run",
    "--preload",
    "/p.ts",
    "app.ts",
  ]);
  assert.deepEqual(preloadedCommand({ command: ["app.ts"], runtime: "bun" }, "/p.ts"), [
    "bun",
    "--preload",
    "/p.ts",
    "app.ts",
  ]);
});

test("heapler run reports the leaking type of examples/leaky_server.js within three intervals and passes the exit code on", async () => {
  const out = await mkdtemp(join(tmpdir(), "heapler-run-"));
  try {
    const io = captureIo();
    const program = [process.execPath, join(repoRoot, "examples", "leaky_server.js"), "8", "3"];
    const code = await main(["run", "--interval", "1s", "--out", out, "--", ...program], io);
    assert.equal(code, 3, io.err());
    assert.match(io.err(), /the program exited with code 3/);
    const report = await readFile(join(out, "report.txt"), "utf8");
    assert.match(report, /^Grew steadily .*: .*RequestContext/m);
    const tables = report.split(/^After [\d.]+ s:$/m).slice(1, 4);
    assert.equal(tables.length, 3, report);
    for (const table of tables) assert.match(table, /RequestContext \|\s+\d{3,} \|/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test("heapler run refuses a missing program, a bad interval and an unknown runtime", async () => {
  for (
    const [args, message] of [
      [["run"], /Expected a program/],
      [["run", "--interval", "fast", "--", "app.js"], /--interval takes/],
      [["run", "--runtime", "python", "--", "app.py"], /--runtime takes/],
    ] as const
  ) {
    const io = captureIo();
    assert.equal(await main([...args], io), 2);
    assert.match(io.err(), message);
  }
});
