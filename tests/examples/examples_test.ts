import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main as buildSystem } from "../../examples/build_system.ts";
import { main as findLeak } from "../../examples/find_leak.ts";

test("examples/find_leak.ts answers the tutorial's three questions", async () => {
  let text = "";
  await findLeak((chunk) => void (text += chunk));
  assert.match(text, /after batch 3 of 100 requests:\n[^]*RenderedPage \|\s+100 \|/);
  assert.match(text, /100 requests later +active[^]*\n {2}RenderedPage +\d{3} /);
  assert.match(text, /^RenderedPage-/m);
  assert.match(text, /Object \.req-\d+.*retryCache/, "the tree shows the cache that holds it");
});

test("examples/build_system.ts tracks the build's classes and writes the dump and the HTML report", async () => {
  const out = await mkdtemp(join(tmpdir(), "heapler-tutorial-"));
  try {
    const [report, dump] = await buildSystem(out);
    assert.ok(existsSync(report!) && existsSync(dump!));
    const html = await readFile(report!, "utf8");
    assert.match(html, /<title>Build: tracked classes<\/title>/);
    for (const name of ["Node.File", "Node.Dir", "Executor"]) {
      assert.ok(html.includes(`data-series="${name}"`), name);
    }
    const data = JSON.parse(await readFile(dump!, "utf8"));
    const files = data.objects.filter((object: { name: string }) => object.name === "Node.File");
    assert.equal(files.length, 640);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
