// Drives heapler's web front end in headless Chromium (Debian's, through playwright-core) and
// reports what it saw as JSON on standard output. Run by Node from the browser test of every
// runtime, while the server runs in the test process.
//
//   node tests/_support/web_check.mjs '{"base":"http://127.0.0.1:PORT","output":"/abs/dir","runtime":"deno","type":"Leak","cycle":"Cycle","garbage":true}'
//
// For each page: console errors, page errors, dialogs, failed or off-site requests, <img> count,
// the geometry of its svgs' labels (`label_geometry.mjs`), and a screenshot. Then the live
// chart's points over time, the referrer browser expanded two levels by clicks, a snapshot taken
// by its button, and the garbage group holding the cycle.
import { chromium } from "playwright-core";
import { join } from "node:path";
import process from "node:process";
import { labelGeometry } from "./label_geometry.mjs";

const { base, output, runtime, type, cycle, garbage } = JSON.parse(process.argv[2]);
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const result = { pages: {}, live: null, snapshot: null, insights: null, refs: null, garbage: null };

/** A tab that records every problem it meets. */
async function openTab() {
  const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems = [];
  tab.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  tab.on("pageerror", (error) => problems.push(`page: ${error.message}`));
  tab.on("dialog", (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  tab.on("requestfailed", (request) => {
    // A poll cut short by leaving the page is not a failure; anything else is.
    if (request.failure()?.errorText === "net::ERR_ABORTED" && request.url().includes("/api/")) {
      return;
    }
    problems.push(`failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  tab.on("response", (response) => {
    if (response.status() >= 400) problems.push(`status ${response.status()}: ${response.url()}`);
  });
  tab.on("request", (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith("data:")) {
      problems.push(`off-site: ${request.url()}`);
    }
  });
  return { tab, problems };
}

const shot = (name) => join(output, `web-${runtime}-${name}.png`);

try {
  const { tab, problems } = await openTab();
  for (
    const [name, path] of [
      ["overview", "/"],
      ["process", "/process"],
      ["summary-empty", "/summary"],
      ["tracker", "/tracker"],
      ["garbage-baseline", "/garbage"],
      ["requests", "/requests"],
      ["help", "/help"],
    ]
  ) {
    const before = problems.length;
    await tab.goto(base + path, { waitUntil: "load" });
    await tab.waitForTimeout(100);
    result.pages[path] = {
      errors: problems.slice(before),
      images: await tab.locator("img").count(),
      geometry: await tab.evaluate(labelGeometry),
      title: await tab.title(),
    };
    await tab.screenshot({ path: shot(name), fullPage: true });
  }

  // The live chart polls /api/process every second and redraws.
  await tab.goto(base + "/", { waitUntil: "load" });
  const chart = tab.locator("svg[data-live]");
  await tab.waitForFunction(
    () => Number(document.querySelector("svg[data-live]")?.dataset.points ?? 0) >= 3,
    null,
    { timeout: 10_000 },
  );
  result.live = {
    points: Number(await chart.getAttribute("data-points")),
    path: await tab.locator('svg[data-live] [data-series="rss"]').getAttribute("d"),
  };
  await tab.screenshot({ path: shot("overview-live"), fullPage: true });

  // A snapshot by the button: progress shows, then the page comes back with the summary.
  await tab.goto(base + "/summary", { waitUntil: "load" });
  const loaded = tab.waitForURL(base + "/summary", { waitUntil: "load" });
  await tab.getByRole("button", { name: "Take a snapshot" }).click();
  const progress = await tab.locator(".progress").first().textContent();
  await loaded;
  await tab.locator("table.sortable").first().waitFor({ timeout: 60_000 });
  result.snapshot = {
    progress,
    rows: await tab.locator("table.sortable").last().locator("tbody tr").count(),
    typeLink: await tab.locator(`a[href="/summary/type/${encodeURIComponent(type)}"]`).count(),
  };
  // Sorting by a column reorders the rows.
  const firstType = () =>
    tab.locator("table.sortable").last().locator("tbody tr td").first().textContent();
  const beforeSort = await firstType();
  await tab.locator("table.sortable").last().locator("th").first().click();
  result.snapshot.sorted = (await firstType()) !== beforeSort;
  await tab.screenshot({ path: shot("summary"), fullPage: true });
  result.pages["/summary"] = {
    errors: problems.splice(0),
    images: await tab.locator("img").count(),
    geometry: await tab.evaluate(labelGeometry),
  };

  // The insights of that snapshot: every section, the leaked type's objects linked to referrers.
  await tab.goto(base + "/insights", { waitUntil: "load" });
  result.insights = {
    sections: await tab.locator("main h2").count(),
    refLinks: await tab.locator('main a[href^="/refs?id="]').count(),
  };
  await tab.screenshot({ path: shot("insights"), fullPage: true });
  result.pages["/insights"] = {
    errors: problems.splice(0),
    images: await tab.locator("img").count(),
    geometry: await tab.evaluate(labelGeometry),
  };

  // The referrer browser: from the type's largest object, two levels by clicks.
  await tab.goto(`${base}/summary/type/${encodeURIComponent(type)}`, { waitUntil: "load" });
  result.pages["/summary/type"] = {
    errors: problems.splice(0),
    images: await tab.locator("img").count(),
    geometry: await tab.evaluate(labelGeometry),
  };
  await tab.locator('a[href^="/refs/"]').first().click();
  await tab.waitForURL(/\/refs\/\d+$/);
  const levels = [];
  await tab.locator("ul.refs.root > li > ul.refs > li > button.expand").first().click();
  await tab.locator("ul.refs.root > li > ul.refs > li > ul.refs > li").first().waitFor();
  levels.push(await tab.locator("ul.refs.root > li > ul.refs > li > ul.refs > li").count());
  await tab.locator("ul.refs.root > li > ul.refs > li > ul.refs > li > button.expand").first()
    .click();
  await tab.locator("ul.refs.root > li > ul.refs > li > ul.refs > li > ul.refs > li").first()
    .waitFor();
  levels.push(
    await tab.locator("ul.refs.root > li > ul.refs > li > ul.refs > li > ul.refs > li").count(),
  );
  result.refs = { levels, images: await tab.locator("img").count() };
  await tab.screenshot({ path: shot("refs"), fullPage: true });
  result.pages["/refs"] = {
    errors: problems.splice(0),
    images: await tab.locator("img").count(),
    geometry: await tab.evaluate(labelGeometry),
  };

  await tab.goto(`${base}/tracker/class/${encodeURIComponent(type)}`, { waitUntil: "load" });
  result.pages["/tracker/class"] = {
    errors: problems.splice(0),
    images: await tab.locator("img").count(),
    geometry: await tab.evaluate(labelGeometry),
  };
  await tab.screenshot({ path: shot("tracker-class"), fullPage: true });

  // Garbage: check against the baseline the test took, then find the cycle's group.
  if (garbage) {
    await tab.goto(base + "/garbage", { waitUntil: "load" });
    const checked = tab.waitForURL(base + "/garbage", { waitUntil: "load" });
    await tab.getByRole("button", { name: "Check now" }).click();
    await checked;
    await tab.locator('a[href^="/garbage/"]').first().waitFor({ timeout: 60_000 });
    await tab.screenshot({ path: shot("garbage"), fullPage: true });
    const groups = await tab.locator('a[href^="/garbage/"]').evaluateAll((links) =>
      links.map((link) => link.getAttribute("href"))
    );
    result.garbage = { groups: groups.length, found: null, svgs: 0 };
    for (const href of groups) {
      await tab.goto(base + href, { waitUntil: "load" });
      if ((await tab.locator("table").first().textContent()).includes(cycle)) {
        result.garbage.found = href;
        result.garbage.svgs = await tab.locator(".graph svg").count();
        result.garbage.nodes = await tab.locator(".graph svg g.node").count();
        await tab.screenshot({ path: shot("garbage-group"), fullPage: true });
        break;
      }
    }
    result.pages["/garbage/n"] = {
      errors: problems.splice(0),
      images: await tab.locator("img").count(),
      geometry: await tab.evaluate(labelGeometry),
    };
  }
  await tab.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(result));
