import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { writeHeapSnapshot } from "../../src/runtime/mod.ts";
import { captureIo } from "../_support/io.ts";
import { cliArgs, repoRoot } from "../_support/runtime.ts";

/** Starts `heapler` in a child process; resolves with the first front-end address it prints. */
function startCli(
  args: string[],
): { child: ChildProcess; url: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, cliArgs(args), {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = new Promise<string>((resolve, reject) => {
    const look = (chunk: string) => {
      output += chunk;
      const found = output.match(/web front end at (http:\/\/\S+)/);
      if (found) resolve(found[1]!);
    };
    child.stdout!.setEncoding("utf8").on("data", look);
    child.stderr!.setEncoding("utf8").on("data", look);
    child.on("exit", (code) => reject(new Error(`heapler exited with ${code}: ${output}`)));
  });
  return { child, url, output: () => output };
}

/**
 * Sends Ctrl+C and waits for the exit code: 0 for a clean stop. Deno's `child_process` reports
 * a child it signalled as ended by the signal (null) even when it exits 0 (seen by hand: 0).
 */
function interrupt(child: ChildProcess): Promise<number> {
  return new Promise((done) => {
    child.on("exit", (code, signal) => done(code ?? (signal === "SIGINT" && isDeno ? 0 : -1)));
    child.kill("SIGINT");
  });
}

const isDeno = /deno$/.test(process.execPath);

test("heapler web serves two snapshot files: their diff, referrers, until Ctrl+C", async () => {
  const dir = await mkdtemp(join(tmpdir(), "heapler-web-"));
  try {
    const before = join(dir, "before.heapsnapshot");
    const after = join(dir, "after.heapsnapshot");
    await writeHeapSnapshot(before);
    class WebCliGrowth {}
    const grown = Array.from({ length: 9 }, () => new WebCliGrowth());
    await writeHeapSnapshot(after);
    const written = new Date("2026-01-02T03:04:05.000Z");
    await utimes(before, written, written);
    const cli = startCli(["web", before, after, "--port", "0"]);
    const url = await cli.url;
    const summary = await (await fetch(new URL("/api/summary?limit=100000", url))).json();
    assert.equal(summary.live, false);
    assert.equal(summary.previous.takenAt, written.toISOString(), "a file's time is its own");
    assert.equal(
      summary.diff.find((row: { type: string }) => row.type === "WebCliGrowth")?.count,
      9,
    );
    const page = await (await fetch(url)).text();
    assert.match(page, /Browsing <code>before.heapsnapshot<\/code> and <code>after.heapsnapshot/);
    assert.equal(await interrupt(cli.child), 0, cli.output());
    assert.match(cli.output(), /Stopped\.\n$/);
    assert.equal(grown.length, 9);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("heapler web refuses three files, a bad port, and an address off loopback without --remote", async () => {
  for (
    const [args, message] of [
      [["web", "a", "b", "c"], /at most two snapshot files/],
      [["web", "--port", "99999"], /--port takes/],
      [["web", "--port", "x"], /--port takes/],
    ] as const
  ) {
    const io = captureIo();
    assert.equal(await main([...args], io), 2);
    assert.match(io.err(), message);
  }
  const io = captureIo();
  assert.equal(await main(["web", "--host", "0.0.0.0", "--port", "0"], io), 1);
  assert.match(io.err(), /pass remote: true|--remote/);
});

test("heapler run --web serves the front end inside the program, which still ends by itself", async () => {
  const dir = await mkdtemp(join(tmpdir(), "heapler-run-web-"));
  try {
    const program = join(dir, "busy.js");
    await writeFile(
      program,
      "const kept = [];\nconst timer = setInterval(() => kept.push({ at: Date.now() }), 50);\n" +
        "setTimeout(() => clearInterval(timer), 5000);\n",
    );
    const runtimeArgs = /deno$/.test(process.execPath) ? ["run"] : [];
    const cli = startCli([
      "run",
      "--web",
      "--port",
      "0",
      "--interval",
      "1s",
      "--out",
      dir,
      "--",
      process.execPath,
      ...runtimeArgs,
      program,
    ]);
    const url = await cli.url;
    const data = await (await fetch(new URL("/api/process", url))).json();
    assert.ok(data.memory.pid > 0);
    assert.notEqual(data.memory.pid, cli.child.pid, "served by the program, not by heapler");
    const code = await new Promise((done) => cli.child.on("exit", done));
    assert.equal(code, 0, cli.output());
    assert.match(cli.output(), /\[heapler\] \d+\.\d s: grew/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("heapler demo --web serves the still-leaking server: requests measured, contexts growing", async () => {
  const dir = await mkdtemp(join(tmpdir(), "heapler-demo-web-"));
  try {
    const cli = startCli(["demo", "--web", "--port", "0", "--out", dir]);
    const url = await cli.url;
    await new Promise((done) => setTimeout(done, 2500));
    const requests = await (await fetch(new URL("/api/requests", url))).json();
    assert.ok(requests.records.length >= 10, JSON.stringify(requests).slice(0, 300));
    assert.ok(
      requests.records.every((record: { overlapping: number }) => record.overlapping === 0),
    );
    const tracker = await (await fetch(new URL("/api/tracker", url))).json();
    const contexts = tracker.classes.find((row: { name: string }) => row.name === "RequestContext");
    assert.ok(contexts.instances >= 600);
    assert.equal(await interrupt(cli.child), 0, cli.output());
    assert.match(cli.output(), /Stopped\.\n$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
