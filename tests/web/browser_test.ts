import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ClassTracker } from "../../src/classtracker/mod.ts";
import { MemoryMiddleware, startInBackground } from "../../src/web/mod.ts";
import { checkWebInBrowser } from "../_support/browser.ts";
import { expectedRuntime, repoRoot } from "../_support/runtime.ts";

const XSS = "<img src=x onerror=alert(1)>";

class BrowserCycle {
  other: unknown;
}
class BrowserCyclePartner {
  other: unknown;
}

test("the front end in headless Chromium: every page clean, live chart, snapshot button, two levels of referrers, a cycle's SVG, inert heap text", async () => {
  const tracker = new ClassTracker({ stream: { write: () => {} } });
  const Leak = tracker.trackClass(
    class BrowserLeak {
      label = XSS;
      [XSS] = "as a key";
    },
  );
  const Evil = tracker.trackClass(class {}, { name: XSS });
  const held: unknown[] = [new Evil(), { [XSS]: XSS }];
  const cache = { entries: [] as unknown[] };
  for (let i = 0; i < 20; i++) cache.entries.push(new Leak());
  held.push(cache);
  await tracker.createSnapshot("planted");
  const requests = new MemoryMiddleware({ tracker });
  await requests.wrap(() => new Response("ok"))(new Request(`http://localhost/${XSS}`));

  const profiler = await startInBackground({ port: 0, tracker, requests });
  try {
    const garbage = expectedRuntime !== "bun"; // Bun's snapshot ids change every time (measured)
    if (garbage) {
      const baseline = await fetch(new URL("/garbage/baseline", profiler.url), {
        method: "POST",
        headers: { "x-heapler-token": profiler.token, accept: "application/json" },
      });
      assert.equal(baseline.status, 200);
      await baseline.body?.cancel();
      const a = new BrowserCycle();
      const b = new BrowserCyclePartner();
      a.other = b;
      b.other = a;
      held.push(a);
    }
    const output = join(repoRoot, "tests", "output");
    mkdirSync(output, { recursive: true });
    const seen = await checkWebInBrowser({
      base: new URL(profiler.url).origin,
      output,
      runtime: expectedRuntime ?? "unknown",
      type: "BrowserLeak",
      cycle: "BrowserCycle",
      garbage,
    });
    for (const [path, page] of Object.entries(seen.pages)) {
      assert.deepEqual(page.errors, [], `${path}: no console errors and no failed requests`);
      assert.equal(page.images, 0, `${path}: heap text stays text`);
      const { outside, overlaps, clipped } = page.geometry;
      assert.deepEqual(outside, [], `${path}: labels outside their shapes`);
      assert.deepEqual(overlaps, [], `${path}: overlapping labels`);
      assert.deepEqual(clipped, [], `${path}: labels their svg clips`);
    }
    // Pictures with labels: the overview's live chart, the insights' treemap, a cycle's graph.
    assert.ok(seen.pages["/insights"]!.geometry.labels > 0, "the treemap's labels were measured");
    assert.equal(seen.pages["/"]!.title, "heapler - Overview");
    assert.ok(seen.live.points >= 3, "the live chart took three readings");
    assert.match(seen.live.path ?? "", /^M[\d.]+,[\d.]+L/);
    assert.ok(seen.snapshot.rows > 10, "the summary table came back after the button");
    assert.equal(seen.snapshot.typeLink, 1);
    assert.equal(seen.snapshot.sorted, true, "clicking a header sorts");
    assert.equal(
      seen.insights.sections,
      9,
      "the treemap, duplicated strings, empty collections, oversized arrays, sparse arrays, stale collections, shapes, scopes, globals",
    );
    assert.ok(seen.insights.refLinks > 0, "findings link to their referrers");
    assert.equal(seen.refs.levels.length, 2);
    assert.ok(seen.refs.levels.every((count) => count >= 1), JSON.stringify(seen.refs));
    assert.equal(seen.refs.images, 0);
    if (garbage) {
      assert.ok(seen.garbage?.found, JSON.stringify(seen.garbage));
      assert.equal(seen.garbage!.svgs, 2, "the full and the reduced graph");
      assert.ok(seen.garbage!.nodes >= 2);
    }
  } finally {
    await profiler.close();
  }
  assert.ok(held.length > 0);
});
