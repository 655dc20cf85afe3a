import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ClassTracker, HtmlStats } from "../../src/classtracker/mod.ts";
import { detectRuntime } from "../../src/runtime/mod.ts";
import { checkInBrowser } from "../_support/browser.ts";
import { repoRoot } from "../_support/runtime.ts";

test("the HTML report renders in headless Chromium: no errors, no network, one series per class", async () => {
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
  const { runtime } = detectRuntime();
  const page = join(output, `classtracker-report-${runtime}.html`);
  await new HtmlStats({ tracker }).createHtml(page, { title: "Graph build" });

  const [seen] = checkInBrowser([{
    file: page,
    screenshot: join(output, `classtracker-report-${runtime}.png`),
  }]);
  const classes = ["<img src=x onerror=alert(1)>", "Edge", "Node"];
  // Memory by class on its own scale, the process around it, live instances by class.
  assert.equal(seen!.charts.length, 3);
  assert.deepEqual([...seen!.charts[0]!].sort(), classes);
  assert.deepEqual(seen!.charts[1]!.slice(1), ["tracked objects", "tracker overhead"]);
  assert.deepEqual([...seen!.charts[2]!].sort(), classes);
  assert.equal(seen!.images, 0, "heap text stays text");
  // Every chart's axis labels: none clipped by the chart, none over another.
  assert.ok(seen!.geometry.labels >= 3 * 7, `${seen!.geometry.labels} labels`);
  assert.deepEqual(seen!.geometry.clipped, [], "labels the charts clip");
  assert.deepEqual(seen!.geometry.overlaps, [], "overlapping labels");
  assert.deepEqual(seen!.geometry.outside, [], "labels outside their shapes");
  assert.ok(seen!.box !== null && seen!.box.width > 500 && seen!.box.height > 150);
  assert.deepEqual(seen!.errors, []);
  assert.ok(held.length > 0);
});
