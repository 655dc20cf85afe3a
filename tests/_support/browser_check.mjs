// Opens pages in headless Chromium (Debian's, driven by playwright-core) and reports what it saw,
// as JSON on standard output. Run by Node from the browser tests of every runtime, so that no test
// process loads playwright itself (it would bloat every heap snapshot taken after it).
//
//   node tests/_support/browser_check.mjs '{"pages":[{"file":"/abs/report.html","screenshot":"/abs/shot.png"}]}'
//
// For each page: errors (console errors, page errors, dialogs, non-file requests), the number
// of <img> elements, and for each svg.chart the data-series of its .series, the size of the
// first svg, and the geometry of the labels of every svg (`label_geometry.mjs`).
import { chromium } from "playwright-core";
import process from "node:process";
import { pathToFileURL } from "node:url";
import { labelGeometry } from "./label_geometry.mjs";

const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const { pages } = JSON.parse(process.argv[2]);
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
const results = [];
try {
  for (const { file, screenshot } of pages) {
    const tab = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors = [];
    tab.on("console", (message) => {
      if (message.type() === "error") errors.push(`console: ${message.text()}`);
    });
    tab.on("pageerror", (error) => errors.push(`page: ${error.message}`));
    tab.on("dialog", (dialog) => {
      errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    tab.on("request", (request) => {
      if (!request.url().startsWith("file:")) errors.push(`network: ${request.url()}`);
    });
    const response = await tab.goto(pathToFileURL(file).href, { waitUntil: "load" });
    if (!response?.ok()) errors.push(`load: ${response?.status()}`);
    const charts = await tab.$$eval(
      "svg.chart",
      (svgs) =>
        svgs.map((svg) =>
          [...svg.querySelectorAll(".series")].map((s) => s.getAttribute("data-series"))
        ),
    );
    const svgs = await tab.locator("svg").count();
    const box = svgs > 0 ? await tab.locator("svg").first().boundingBox() : null;
    const images = await tab.locator("img").count();
    const geometry = await tab.evaluate(labelGeometry);
    if (screenshot) await tab.screenshot({ path: screenshot, fullPage: true });
    results.push({ file, errors, charts, svgs, box, images, geometry });
    await tab.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
