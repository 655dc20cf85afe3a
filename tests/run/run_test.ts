import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { preloadedCommand } from "../../src/run/run.ts";
import { captureIo } from "../_support/io.ts";
import { cliArgs, nodeExecutable, repoRoot } from "../_support/runtime.ts";

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

/** A program for `heapler run`, written to `dir`, and the command that runs it on this runtime. */
function program(dir: string, source: string): string[] {
  const path = join(dir, "program.mjs");
  writeFileSync(path, source);
  return [process.execPath, path];
}

test("heapler run bundles Node's preload into a fresh private directory and removes it after", async () => {
  const out = await mkdtemp(join(tmpdir(), "heapler-run-"));
  try {
    const io = captureIo();
    const path = join(out, "program.mjs");
    const seenFile = join(out, "seen.json");
    writeFileSync(
      path,
      `import { statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
const preload = process.execArgv[process.execArgv.indexOf("--import") + 1];
writeFileSync(${
        JSON.stringify(seenFile)
      }, JSON.stringify({ preload, dir: statSync(dirname(preload)).mode & 0o777, file: statSync(preload).mode & 0o777 }));`,
    );
    const code = await main(["run", "--out", out, "--", nodeExecutable(), path], io);
    assert.equal(code, 0, io.err());
    const seen = JSON.parse(await readFile(seenFile, "utf8"));
    assert.equal(seen.dir, 0o700);
    assert.equal(seen.file, 0o600);
    assert.doesNotMatch(seen.preload, new RegExp(`heapler-preload-${process.pid}`));
    assert.equal(existsSync(seen.preload), false, "the preload is removed after the run");
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test("heapler run writes the report when the program is ended by SIGTERM or crashes", async () => {
  const out = await mkdtemp(join(tmpdir(), "heapler-run-"));
  try {
    for (
      const [ending, expected] of [
        [`process.kill(process.pid, "SIGTERM")`, 143],
        [`throw new Error("crash")`, 1],
      ] as const
    ) {
      await rm(join(out, "report.txt"), { force: true });
      const io = captureIo();
      const command = program(
        out,
        `const keep = setInterval(() => {}, 1000);
setTimeout(() => { ${ending}; }, 1500);`,
      );
      const code = await main(["run", "--interval", "500ms", "--out", out, "--", ...command], io);
      assert.equal(code, expected, `${ending}: ${io.err()}`);
      const report = await readFile(join(out, "report.txt"), "utf8");
      assert.match(report, /^heapler run: \d+ summaries/, ending);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test("SIGTERM sent to heapler run ends the program too, and the report is written", async () => {
  const out = await mkdtemp(join(tmpdir(), "heapler-run-"));
  try {
    const pidFile = join(out, "pid");
    const command = program(
      out,
      `import { writeFileSync } from "node:fs";
writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));
setInterval(() => {}, 1000);`,
    );
    const heapler = spawn(
      process.execPath,
      cliArgs(["run", "--interval", "500ms", "--out", out, "--", ...command]),
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    const firstSummary = new Promise<void>((done) =>
      heapler.stderr.on("data", (chunk) => {
        stderr += chunk;
        if (/\[heapler\] [\d.]+ s:/.test(stderr)) done();
      })
    );
    // Deno's child_process reports an exit code of 128 + n as signal n.
    const ended = new Promise<number | null>((done) =>
      heapler.on("exit", (code, signal) => done(signal === "SIGTERM" ? 143 : code))
    );
    await Promise.race([firstSummary, ended]);
    heapler.kill("SIGTERM");
    const code = await ended;
    assert.equal(code, 143, `exit ${code}: ${stderr}`);
    assert.match(stderr, /the program exited with code 143/, "heapler waited for the program");
    const programPid = Number(await readFile(pidFile, "utf8"));
    assert.throws(() => process.kill(programPid, 0), /ESRCH/, "the program is not left running");
    assert.match(await readFile(join(out, "report.txt"), "utf8"), /^heapler run:/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

test("heapler run --wait-for-growth takes no snapshot of a steady heap, and begins when the heap grows", async () => {
  const out = await mkdtemp(join(tmpdir(), "heapler-run-"));
  try {
    const steady = program(
      out,
      `const kept = Array.from({ length: 1000 }, (_, i) => ({ i }));
const tick = setInterval(() => JSON.stringify(kept), 50);
setTimeout(() => clearInterval(tick), 2500);`,
    );
    let io = captureIo();
    const args = ["run", "--interval", "500ms", "--wait-for-growth", "--out", out, "--"];
    assert.equal(await main([...args, ...steady], io), 0, io.err());
    let report = await readFile(join(out, "report.txt"), "utf8");
    assert.match(report, /^heapler run: 0 summaries/, report);
    assert.match(report, /^The heap did not grow \(.* to .* after full collections\)/m, report);

    const leaking = program(
      out,
      `class PendingJob { constructor(id) { this.id = id; this.label = "job " + id; } }
const queue = [];
let next = 0;
const tick = setInterval(() => { for (let i = 0; i < 4000; i++) queue.push(new PendingJob(next++)); }, 100);
setTimeout(() => clearInterval(tick), 6000);`,
    );
    io = captureIo();
    assert.equal(await main([...args, ...leaking], io), 0, io.err());
    report = await readFile(join(out, "report.txt"), "utf8");
    assert.match(report, /^heapler run: [1-9]\d* summaries/, report);
    assert.match(
      report,
      /^At [\d.]+ s the heap grew from .* to .* \(after full collections\): summaries began\.$/m,
    );
    assert.match(report, /PendingJob \|\s+\d{3,} \|/, report);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
