import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { ClassTracker, HtmlStats } from "../../src/classtracker/mod.ts";
import { repoRoot } from "../_support/runtime.ts";

/** Debian's Chromium, which `.ci/run` installs; CHROMIUM overrides. */
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

test("the HTML report renders in headless Chromium: no errors, no network, one series per class", async () => {
  assert.ok(
    existsSync(CHROMIUM),
    `no browser at ${CHROMIUM}: apt-get install chromium (as .ci/run does)`,
  );
  const tracker = new ClassTracker({ stream: { write: () => {} } });
  const Node = tracker.trackClass(
    class Node {
      children: unknown[] = [];
    },
    { resolutionLevel: 1, trace: true },
  );
  const Edge = tracker.trackClass(
    class Edge {
      label = "<img src=x onerror=alert(1)>";
    },
  );
  const Evil = tracker.trackClass(class {}, { name: "<img src=x onerror=alert(1)>" });
  const held: object[] = [new Evil()];
  await tracker.createSnapshot("start");
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < 50; i++) held.push(new Node(), new Edge());
    held.splice(0, 20);
    await tracker.createSnapshot(`round ${round}`);
  }
  const output = join(repoRoot, "tests", "output");
  mkdirSync(output, { recursive: true });
  const runtime = process.versions.bun ? "bun" : "deno" in process.versions ? "deno" : "node";
  const page = join(output, `classtracker-report-${runtime}.html`);
  await new HtmlStats({ tracker }).createHtml(page, { title: "Graph build" });

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const problems: string[] = [];
    tab.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    tab.on("pageerror", (error) => problems.push(`page: ${error.message}`));
    tab.on("dialog", (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    tab.on("request", (request) => {
      if (!request.url().startsWith("file:")) problems.push(`network: ${request.url()}`);
    });
    await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });
    const perChart = await tab.$$eval(
      "svg.chart",
      (charts) =>
        charts.map((chart) =>
          [...chart.querySelectorAll(".series")].map((series) => series.getAttribute("data-series"))
        ),
    );
    const classes = ["<img src=x onerror=alert(1)>", "Edge", "Node"];
    assert.equal(perChart.length, 2);
    assert.deepEqual(perChart[0]!.filter((name) => name !== "other").sort(), classes);
    assert.deepEqual([...perChart[1]!].sort(), classes);
    assert.equal(await tab.locator("img").count(), 0, "heap text stays text");
    const box = await tab.locator("svg.chart").first().boundingBox();
    assert.ok(box !== null && box.width > 500 && box.height > 150, JSON.stringify(box));
    await tab.screenshot({
      path: join(output, `classtracker-report-${runtime}.png`),
      fullPage: true,
    });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  assert.ok(held.length > 0);
});
