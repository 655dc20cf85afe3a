import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import { readProcFile, writeFileAtomic } from "../../src/runtime/mod.ts";
import { propertyOptions } from "../_support/fc.ts";

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
