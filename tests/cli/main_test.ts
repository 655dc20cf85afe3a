import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { COMMANDS, main } from "../../src/cli/main.ts";
import { VERSION } from "../../src/cli/version.ts";
import { captureIo } from "../_support/io.ts";
import { cliArgs, repoRoot } from "../_support/runtime.ts";
import process from "node:process";

test("heapler --version prints the version of package.json and deno.json", async () => {
  const io = captureIo();
  assert.equal(await main(["--version"], io), 0);
  assert.equal(io.out(), `heapler ${VERSION}\n`);
  assert.equal(JSON.parse(readFileSync(`${repoRoot}/package.json`, "utf8")).version, VERSION);
  assert.equal(JSON.parse(readFileSync(`${repoRoot}/deno.json`, "utf8")).version, VERSION);
});

test("heapler --help lists every command", async () => {
  const io = captureIo();
  assert.equal(await main(["--help"], io), 0);
  for (const command of COMMANDS) assert.match(io.out(), new RegExp(`^  ${command.name} `, "m"));
});

test("heapler with no command prints help and exits 2", async () => {
  const io = captureIo();
  assert.equal(await main([], io), 2);
  assert.match(io.out(), /Usage: heapler <command>/);
});

test("heapler <command> --help prints that command's usage", async () => {
  const io = captureIo();
  assert.equal(await main(["process", "--help"], io), 0);
  assert.match(io.out(), /^Usage: heapler process/);
});

test("a wrong command line is one line on stderr and exit code 2", async () => {
  for (const args of [["frobnicate"], ["process", "--bogus"], ["--bogus"]]) {
    const io = captureIo();
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.equal(io.err().split("\n").length, 2, io.err());
    assert.match(io.err(), /^heapler: .*\(see heapler /);
  }
});

test("heapler process prints the table, and --json the figures", async () => {
  const table = captureIo();
  assert.equal(await main(["process"], table), 0);
  assert.match(table.out(), /Resident set size \|/);
  assert.match(table.out(), /={5,} \| ={5,}/);
  const labels = table.out().split("\n").map((line) => line.split("|")[0]!.trim()).filter(Boolean);
  assert.deepEqual(labels, [...new Set(labels)], "each figure once");
  assert.ok(!labels.includes("Virtual memory size"), "the system's vsz is the table's own");
  const json = captureIo();
  assert.equal(await main(["process", "--json"], json), 0);
  assert.ok(JSON.parse(json.out()).rss > 0);
});

test("heapler output is plain without a terminal or with NO_COLOR, bold on a terminal", async () => {
  const plain = captureIo({}, false);
  await main(["process"], plain);
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  assert.doesNotMatch(plain.out(), /\u001b\[/);
  const noColor = captureIo({ NO_COLOR: "1" }, true);
  await main(["process"], noColor);
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  assert.doesNotMatch(noColor.out(), /\u001b\[/);
  const color = captureIo({}, true);
  await main(["process"], color);
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  assert.match(color.out(), /\u001b\[1m/);
});

test("cli.ts runs as a program and passes the exit code", () => {
  const ok = spawnSync(process.execPath, cliArgs(["--version"]), {
    cwd: repoRoot,
    encoding: "utf8",
  });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout, `heapler ${VERSION}\n`);
  const bad = spawnSync(process.execPath, cliArgs(["nope"]), { cwd: repoRoot, encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^heapler: Unknown command: nope/);
});

test("heapler ends quietly with code 0 when its reader closes the output (| head)", async () => {
  // The reader is gone before the first line is written: the write fails with EPIPE.
  const child = spawn(process.execPath, cliArgs(["--help"]), {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.destroy();
  let errors = "";
  child.stderr.on("data", (chunk) => errors += chunk);
  const code = await new Promise((done) => child.on("close", done));
  assert.equal(code, 0, errors);
  assert.doesNotMatch(errors, /EPIPE|Error/);
});

test("a mistyped command or option gets heapler's own message and a suggestion, exit 2", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["summry", "x"],
      /^heapler: Unknown command: summry\. Did you mean summary\? \(see heapler --help\)$/,
    ],
    [
      ["summary", "x", "--limt", "3"],
      /^heapler: Unknown option --limt for heapler summary\. Did you mean --limit\? \(see heapler summary --help\)$/,
    ],
    [["diff", "a", "b", "--jsn"], /Did you mean --json\?/],
    [
      ["top", "--bogus"],
      /^heapler: Unknown option --bogus for heapler top \(see heapler top --help\)$/,
    ],
    [["frobnicate"], /^heapler: Unknown command: frobnicate \(see heapler --help\)$/],
  ];
  for (const [args, message] of cases) {
    const io = captureIo();
    assert.equal(await main(args, io), 2, args.join(" "));
    assert.match(io.err().trimEnd(), message);
    assert.doesNotMatch(io.err(), /after '--'/);
  }
});
