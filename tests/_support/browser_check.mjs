// Opens pages in headless Chromium (Debian's, driven by playwright-core) and reports what it saw,
// as JSON on standard output. Run by Node from the browser tests of every runtime, so that no test
// process loads playwright itself (it would bloat every heap snapshot taken after it).
//
//   node tests/_support/browser_check.mjs '{"pages":[{"file":"/abs/report.html","screenshot":"/abs/shot.png"}]}'
//
// For each page: errors (console errors, page errors, dialogs, non-file requests), the number
// of <img> elements, and for each svg.chart the data-series of its .series, the size of the
// first svg, and the geometry of its labels: which lie outside their node's shape (Graphviz's
// node groups, or the box a treemap label follows), which overlap another label, which the
// svg's bounds clip.
import { chromium } from "playwright-core";
import process from "node:process";
import { pathToFileURL } from "node:url";

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
    const geometry = await tab.evaluate(() => {
      const found = { labels: 0, outside: [], overlaps: [], clipped: [] };
      const root = document.querySelector("svg");
      if (root === null) return found;
      const bounds = root.getBoundingClientRect();
      const inside = (a, b) =>
        a.left >= b.left - 1 && a.right <= b.right + 1 && a.top >= b.top - 1 &&
        a.bottom <= b.bottom + 1;
      const texts = [...root.querySelectorAll("text")].filter((t) => t.textContent.trim() !== "");
      const boxes = texts.map((t) => t.getBoundingClientRect());
      const name = (t) => t.textContent.trim().slice(0, 40);
      found.labels = texts.length;
      texts.forEach((text, i) => {
        if (!inside(boxes[i], bounds)) found.clipped.push(name(text));
        let shape = text.closest("g.node")?.querySelector("polygon, ellipse, path, rect") ?? null;
        if (shape === null && text.closest("g.edge") === null) {
          for (
            let before = text.previousElementSibling;
            before !== null;
            before = before.previousElementSibling
          ) {
            if (before.tagName === "rect") {
              shape = before;
              break;
            }
          }
        }
        if (shape !== null && !inside(boxes[i], shape.getBoundingClientRect())) {
          found.outside.push(name(text));
        }
        for (let j = 0; j < i; j++) {
          const [a, b] = [boxes[i], boxes[j]];
          const width = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const height = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          // Lines of one label touch by their ascent and descent: a quarter of a box is overlap.
          const smaller = Math.min(a.width * a.height, b.width * b.height);
          if (width > 0 && height > 0 && width * height > 0.25 * smaller) {
            found.overlaps.push(`${name(text)} / ${name(texts[j])}`);
          }
        }
      });
      return found;
    });
    if (screenshot) await tab.screenshot({ path: screenshot, fullPage: true });
    results.push({ file, errors, charts, svgs, box, images, geometry });
    await tab.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
