import assert from "node:assert/strict";
import { test } from "node:test";
import { spawn } from "node:child_process";
import { chmod, lstat, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../_support/io.ts";
import { cliArgs, expectedRuntime, repoRoot } from "../_support/runtime.ts";
import { writeHeapSnapshot } from "../../src/runtime/mod.ts";
import { buildSnapshot, cacheProgram, type NodeSpec } from "../_support/snapshot_builder.ts";

/** Runs `body` with a fresh temporary directory, removed after. */
async function inDirectory(body: (directory: string) => Promise<void>): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "heapler-cli-"));
  try {
    await body(directory);
  } finally {
    await rm(directory, { recursive: true });
  }
}

async function files(...snapshots: NodeSpec[][]): Promise<{ directory: string; paths: string[] }> {
  const directory = await mkdtemp(join(tmpdir(), "heapler-cli-"));
  const paths = await Promise.all(snapshots.map(async (nodes, i) => {
    const path = join(directory, `s${i}.heapsnapshot`);
    await writeFile(path, buildSnapshot(nodes));
    return path;
  }));
  return { directory, paths };
}

test("heapler summary prints the type table, and --json the rows", async () => {
  const { directory, paths } = await files(cacheProgram([11, 13, 15]));
  try {
    const io = captureIo();
    assert.equal(await main(["summary", paths[0]!], io), 0);
    assert.ok(io.out().includes("types |   # objects |   total size"));
    assert.ok(io.out().includes("Leaky |           3 |    120     B"));
    assert.ok(io.out().includes("Map |           1 |     72     B")); // its table counted in it
    const json = captureIo();
    assert.equal(await main(["summary", paths[0]!, "--json", "--sort", "count"], json), 0);
    assert.deepEqual(JSON.parse(json.out()).find((row: unknown[]) => row[0] === "Leaky"), [
      "Leaky",
      3,
      120,
    ]);
  } finally {
    await rm(directory, { recursive: true });
  }
});

test("heapler diff shows grown types and the largest new objects with paths", async () => {
  const { directory, paths } = await files(cacheProgram([11]), cacheProgram([11, 13, 15]));
  try {
    const io = captureIo();
    assert.equal(await main(["diff", paths[0]!, paths[1]!], io), 0);
    assert.ok(io.out().includes("Leaky |           2 |     80     B"));
    assert.match(io.out(), /@13 \|\s+Leaky \|/);
    assert.match(io.out(), /global \.cache → Map \(internal\) table → \(array\) \[\d\] → Leaky/);
    const json = captureIo();
    await main(["diff", paths[0]!, paths[1]!, "--json"], json);
    assert.deepEqual(JSON.parse(json.out()).added.map((o: { id: number }) => o.id).sort(), [
      13,
      15,
    ]);
  } finally {
    await rm(directory, { recursive: true });
  }
});

class Session {
  readonly user: string;
  readonly cart: number[];
  constructor(readonly id: number) {
    this.user = `user-${id}`;
    this.cart = [id, id + 1, id + 2];
  }
}

/** The sessions of the live program below, held by a module variable. */
const sessions: Session[] = [];

test("heapler diff of a live program that made 500 Sessions lists them, not the engine's", async () => {
  await inDirectory(async (directory) => {
    const [before, after] = ["before", "after"].map((name) =>
      join(directory, `${name}.heapsnapshot`)
    );
    await writeHeapSnapshot(before!);
    for (let id = 0; id < 500; id++) sessions.push(new Session(id));
    await writeHeapSnapshot(after!);
    const io = captureIo();
    assert.equal(await main(["diff", before!, after!], io), 0);
    assert.match(io.out(), /Session \|\s+500 \|/);
    const [, newObjects = ""] = io.out().split("Largest new objects");
    if (expectedRuntime === "bun") {
      assert.match(io.out(), /New objects: not available/);
      return;
    }
    const rows = newObjects.split("\n").filter((line) => line.trimStart().startsWith("@"));
    assert.equal(rows.length, 15, newObjects);
    // The rest is the runtime's own async plumbing (Node's signals and file requests, Deno's ring
    // of pending operations), made by the program's calls and as much its objects as the Sessions.
    assert.ok(rows.filter((row) => / Session \|/.test(row)).length >= 3, newObjects);
    assert.doesNotMatch(newObjects, /compiled code|IsolateData|\(object shape\)|feedback/);
  });
});

test("heapler top lists the largest objects by retained or self size", async () => {
  const { directory, paths } = await files(cacheProgram([11, 13]));
  try {
    const io = captureIo();
    assert.equal(await main(["top", paths[0]!, "--limit", "2"], io), 0);
    const lines = io.out().trim().split("\n");
    assert.match(lines[3]!, /@3 \|\s+global \|/);
    assert.match(lines[4]!, /@5 \|\s+Map \|/);
    const json = captureIo();
    await main(["top", paths[0]!, "--by", "self", "--json"], json);
    assert.equal(JSON.parse(json.out())[0].className, "global");
    assert.equal(await main(["top", paths[0]!, "--by", "size"], captureIo()), 2);
  } finally {
    await rm(directory, { recursive: true });
  }
});

test("heapler leaks reports what the action left alive, and nothing for a clean one", async () => {
  const transient: NodeSpec = { type: "object", name: "Transient", id: 99, selfSize: 8 };
  const { directory, paths } = await files(
    cacheProgram([11]),
    cacheProgram([11, 13, 15], [transient]),
    cacheProgram([11, 13, 15]),
    cacheProgram([11]),
  );
  try {
    const io = captureIo();
    assert.equal(await main(["leaks", paths[0]!, paths[1]!, paths[2]!], io), 0);
    assert.match(io.out(), /Leaky \|\s+2 \|\s+80 {5}B \|/);
    assert.doesNotMatch(io.out(), /Transient/);
    const clean = captureIo();
    assert.equal(await main(["leaks", paths[0]!, paths[1]!, paths[3]!], clean), 0);
    assert.match(clean.out(), /No leaks/);
  } finally {
    await rm(directory, { recursive: true });
  }
});

test("heapler heap verbs: wrong arguments exit 2, a corrupt file exits 1 with the offset", async () => {
  const { directory, paths } = await files(cacheProgram([11]));
  try {
    const corrupt = join(directory, "corrupt.heapsnapshot");
    await writeFile(corrupt, buildSnapshot(cacheProgram([11])).slice(0, 200));
    const io = captureIo();
    assert.equal(await main(["summary"], io), 2);
    assert.equal(await main(["diff", paths[0]!], io), 2);
    assert.equal(await main(["summary", paths[0]!, "--limit", "x"], io), 2);
    const bad = captureIo();
    assert.equal(await main(["summary", corrupt], bad), 1);
    assert.match(bad.err(), /^heapler: Cannot parse heap snapshot: .*byte/);
    assert.equal(await main(["summary", join(directory, "missing")], bad), 1);
  } finally {
    await rm(directory, { recursive: true });
  }
});

test("heapler summary draws a progress bar only on a terminal", async () => {
  const { directory, paths } = await files(cacheProgram([11]));
  try {
    const tty = captureIo({}, true);
    await main(["summary", paths[0]!], tty);
    assert.match(tty.err(), /\[#+\s*\] 100%/);
    const plain = captureIo();
    await main(["summary", paths[0]!], plain);
    assert.equal(plain.err(), "");
  } finally {
    await rm(directory, { recursive: true });
  }
});

test("heapler snapshot runs a script and writes its snapshot atomically", async () => {
  const directory = await mkdtemp(join(tmpdir(), "heapler-cli-"));
  try {
    const script = join(directory, "app.mjs");
    await writeFile(script, "globalThis.heaplerCliProbe = { marker: 'cli-snapshot-probe' };\n");
    const output = join(directory, "out.heapsnapshot");
    const io = captureIo();
    assert.equal(await main(["snapshot", "-o", output, script], io), 0);
    assert.match(io.out(), /^Wrote .*out\.heapsnapshot/);
    const summary = captureIo();
    await main(["summary", output, "--json", "--limit", "100000"], summary);
    assert.ok(JSON.parse(summary.out()).length > 10);
    assert.deepEqual((await readdir(directory)).sort(), ["app.mjs", "out.heapsnapshot"]);
  } finally {
    await rm(directory, { recursive: true });
  }
});

test("every heap verb ends with a typed error on a snapshot without nodes (no endless loop)", async () => {
  await inDirectory(async (directory) => {
    const empty = join(directory, "zero.heapsnapshot");
    await writeFile(empty, buildSnapshot([]));
    for (
      const args of [
        ["summary", empty],
        ["top", empty],
        ["refs", empty, "--id", "1"],
        ["diff", empty, empty],
        ["garbage", empty, empty],
      ]
    ) {
      const io = captureIo();
      assert.equal(await main(args, io), 1, args.join(" "));
      assert.match(io.err(), /node_count is 0, but a snapshot holds at least its root/, args[0]);
    }
  });
});

test("heapler snapshot --json prints the path and size", async () => {
  await inDirectory(async (directory) => {
    const output = join(directory, "out.heapsnapshot");
    const io = captureIo();
    assert.equal(await main(["snapshot", "-o", output, "--json"], io), 0);
    const written = JSON.parse(io.out());
    assert.equal(written.path, output);
    assert.equal(written.bytes, (await stat(output)).size);
  });
});

test("heapler snapshot -o keeps a file's mode, writes through a link, and Ctrl+C leaves no partial file", async () => {
  await inDirectory(async (directory) => {
    const target = join(directory, "private.heapsnapshot");
    await writeFile(target, "old", { mode: 0o600 });
    await chmod(target, 0o600);
    const link = join(directory, "link.heapsnapshot");
    await symlink(target, link);
    assert.equal(await main(["snapshot", "-o", link], captureIo()), 0);
    assert.ok((await lstat(link)).isSymbolicLink());
    assert.equal((await stat(target)).mode & 0o777, 0o600);
    assert.ok((await stat(target)).size > 1000);
    // A program with a heap big enough that writing its snapshot takes a while, interrupted as
    // soon as the snapshot's temporary file appears.
    const script = join(directory, "big.mjs");
    await writeFile(
      script,
      "globalThis.big = Array.from({ length: 300000 }, (_, i) => ({ i, s: String(i) }));\n",
    );
    const output = join(directory, "big.heapsnapshot");
    const child = spawn(process.execPath, cliArgs(["snapshot", "-o", output, script]), {
      cwd: repoRoot,
      stdio: "ignore",
    });
    const ended = new Promise<void>((done) => child.on("exit", () => done()));
    let exited = false;
    void ended.then(() => exited = true);
    let interrupted = false;
    while (!exited) {
      if ((await readdir(directory)).some((name) => name.endsWith(".tmp"))) {
        child.kill("SIGINT");
        interrupted = true;
        break;
      }
      await new Promise((done) => setTimeout(done, 5));
    }
    await ended;
    const left = (await readdir(directory)).filter((name) => name.endsWith(".tmp"));
    assert.deepEqual(left, [], `interrupted: ${interrupted}`);
  });
});
