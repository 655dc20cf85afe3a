import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import {
  chmodSync,
  lstatSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import fc from "fast-check";
import { readProcFile, writeFileAtomic } from "../../src/runtime/internal.ts";
import { propertyOptions } from "../_support/fc.ts";
import { repoRoot, scriptArgs } from "../_support/runtime.ts";

async function inTemporaryDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "heapler-test-"));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true });
  }
}

test("writeFileAtomic() writes text, bytes and chunks", async () => {
  await inTemporaryDir(async (dir) => {
    const path = join(dir, "out.txt");
    await writeFileAtomic(path, "text");
    assert.equal(readFileSync(path, "utf8"), "text");
    await writeFileAtomic(path, new TextEncoder().encode("bytes"));
    assert.equal(readFileSync(path, "utf8"), "bytes");
    await writeFileAtomic(path, async (write) => {
      await write("a");
      await write(new Uint8Array([98]));
    });
    assert.equal(readFileSync(path, "utf8"), "ab");
    assert.deepEqual(readdirSync(dir), ["out.txt"]);
  });
});

test("writeFileAtomic() never leaves a partial file when the writer throws", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.string(), { maxLength: 5 }),
      fc.boolean(),
      async (chunks, existed) => {
        await inTemporaryDir(async (dir) => {
          const path = join(dir, "report.html");
          if (existed) writeFileSync(path, "previous");
          await assert.rejects(
            writeFileAtomic(path, async (write) => {
              for (const chunk of chunks) await write(chunk);
              throw new Error("writer failed");
            }),
            /writer failed/,
          );
          assert.deepEqual(readdirSync(dir), existed ? ["report.html"] : []);
          if (existed) assert.equal(readFileSync(path, "utf8"), "previous");
        });
      },
    ),
    propertyOptions(20),
  );
});

test("readProcFile() reads /proc/self or says why not", () => {
  const status = readProcFile("status");
  if ("bytes" in status) assert.match(new TextDecoder().decode(status.bytes), /VmRSS:/);
  else assert.ok(status.error.length > 0);
  const missing = readProcFile("no-such-file");
  assert.ok("error" in missing);
});

test("writeFileAtomic() keeps an existing file's permissions and writes through a symbolic link", async () => {
  await inTemporaryDir(async (dir) => {
    const path = join(dir, "secret.json");
    writeFileSync(path, "old", { mode: 0o600 });
    chmodSync(path, 0o600);
    await writeFileAtomic(path, "new");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readFileSync(path, "utf8"), "new");
    const link = join(dir, "link.json");
    symlinkSync(path, link);
    await writeFileAtomic(link, "through the link");
    assert.ok(lstatSync(link).isSymbolicLink(), "the link is still a link");
    assert.equal(readFileSync(path, "utf8"), "through the link");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir).sort(), ["link.json", "secret.json"]);
  });
});

/** Runs a script on this test's runtime: its exit code or signal, and its output. */
function runScript(
  dir: string,
  source: string,
): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  const script = join(dir, "script.ts");
  writeFileSync(script, source);
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      scriptArgs(script),
      { cwd: repoRoot, timeout: 60_000 },
      (error, stdout, stderr) => {
        const ended = error as { code?: unknown; signal?: string | null } | null;
        if (ended !== null && typeof ended.code !== "number" && !ended.signal) return fail(error);
        done({
          status: ended === null ? 0 : typeof ended.code === "number" ? ended.code : null,
          signal: ended?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

test("writeFileAtomic() removes its unfinished file when Ctrl+C ends the program mid-write", async () => {
  await inTemporaryDir(async (dir) => {
    const path = join(dir, "out.txt");
    writeFileSync(path, "old");
    const result = await runScript(
      dir,
      `import { writeFileAtomic } from ${JSON.stringify(join(repoRoot, "src/runtime/internal.ts"))};
await writeFileAtomic(${JSON.stringify(path)}, async (write) => {
  await write("partial");
  process.kill(process.pid, "SIGINT");
  await new Promise((done) => setTimeout(done, 20_000));
});
console.log("not interrupted");`,
    );
    assert.ok(result.signal === "SIGINT" || result.status === 130, JSON.stringify(result));
    assert.doesNotMatch(result.stdout, /not interrupted/);
    assert.deepEqual(readdirSync(dir).sort(), ["out.txt", "script.ts"]);
    assert.equal(readFileSync(path, "utf8"), "old");
  });
});

test("an interrupted write leaves the program's own SIGINT handler in charge", async () => {
  await inTemporaryDir(async (dir) => {
    const path = join(dir, "out.txt");
    const result = await runScript(
      dir,
      `import { writeFileAtomic } from ${JSON.stringify(join(repoRoot, "src/runtime/internal.ts"))};
process.on("SIGINT", () => console.log("handled"));
await writeFileAtomic(${JSON.stringify(path)}, async (write) => {
  await write("partial");
  process.kill(process.pid, "SIGINT");
  await new Promise((done) => setTimeout(done, 500));
}).catch((error) => console.log("write failed:", error.code));
process.exit(0);`,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /handled/);
    assert.match(result.stdout, /write failed: ENOENT/);
    assert.deepEqual(readdirSync(dir).sort(), ["script.ts"]);
  });
});
