import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { main } from "../../src/cli/mod.ts";
import { detectRuntime } from "../../src/runtime/mod.ts";
import { captureIo } from "../_support/io.ts";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

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

    // Loaded only now: its code would make every heap snapshot of the demo several times larger.
    const { chromium } = await import("playwright-core");
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      for (const file of expected.filter((name) => !name.endsWith(".json"))) {
        const tab = await browser.newPage();
        const problems: string[] = [];
        tab.on("console", (message) => {
          if (message.type() === "error") problems.push(message.text());
        });
        tab.on("pageerror", (error) => problems.push(error.message));
        const response = await tab.goto(pathToFileURL(join(out, file)).href);
        assert.ok(response?.ok(), file);
        assert.ok(await tab.locator("svg").count() > 0, `${file} shows an SVG`);
        assert.deepEqual(problems, [], file);
        await tab.close();
      }
    } finally {
      await browser.close();
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
