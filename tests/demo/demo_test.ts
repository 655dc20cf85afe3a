import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { main } from "../../src/cli/main.ts";
import { detectRuntime } from "../../src/runtime/mod.ts";
import { checkInBrowser } from "../_support/browser.ts";
import { captureIo } from "../_support/io.ts";

test("heapler demo walks the three steps, names the leaking class, and writes files that open in Chromium", async () => {
  const out = await mkdtemp(join(tmpdir(), "heapler-demo-"));
  try {
    const io = captureIo();
    const started = performance.now();
    assert.equal(await main(["demo", "--out", out], io), 0, io.err());
    const seconds = (performance.now() - started) / 1000;
    const text = io.out();
    for (
      const heading of [
        "1. Is there a leak?",
        "2. What leaks?",
        "3. Where does it leak?",
      ]
    ) assert.ok(text.includes(heading), heading);
    assert.match(
      text,
      /^Grew in every round of requests, and not with health checks: .*RequestContext/m,
    );
    assert.match(
      text,
      /^ {2}RequestContext +6\d\d /m,
      "the ClassTracker counts every leaked context",
    );
    assert.match(text, /EventBus \.listeners/, "the referrer tree reaches the bus");
    assert.match(text, /^ {2}\(root\) .*EventBus \.listeners.*→ RequestContext$/m);
    assert.equal(io.err(), "", "no progress bar off a terminal");
    const expected = ["leak-path.svg", "classtracker.html", "classtracker.json"];
    if (detectRuntime().runtime !== "bun") expected.push("garbage.svg");
    for (const file of expected) {
      assert.ok(existsSync(join(out, file)), file);
      assert.ok(text.includes(join(out, file)), `${file} listed`);
    }
    const path = await readFile(join(out, "leak-path.svg"), "utf8");
    assert.match(path, /<g id="node\d+" class="node">/);
    assert.match(path, /RequestContext/);
    assert.ok(seconds < 60, `${seconds.toFixed(1)} s`);

    const pages = expected.filter((name) => !name.endsWith(".json"));
    for (const seen of checkInBrowser(pages.map((name) => ({ file: join(out, name) })))) {
      assert.ok(seen.svgs > 0, `${seen.file} shows an SVG`);
      assert.deepEqual(seen.errors, [], seen.file);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
