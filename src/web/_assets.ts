/**
 * The front end's static files, served from memory under `/static/`: one style sheet and one
 * script, no library, nothing fetched from elsewhere. The script builds every node from heap data
 * with `textContent`, never `innerHTML`.
 *
 * @module
 */
import { REPORT_STYLE } from "../classtracker/internal.ts";

const STYLE = `${REPORT_STYLE}
body { max-width: 72rem; margin-top: 0; }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 1rem; border-bottom: 2px solid #4e79a7; padding: .6rem 0; margin-bottom: 1rem; }
header .brand { font-weight: 700; color: #4e79a7; text-decoration: none; font-size: 1.1rem; }
header nav { display: flex; flex-wrap: wrap; gap: .9rem; }
header nav a { color: #333; text-decoration: none; } header nav a.here { font-weight: 700; border-bottom: 2px solid #f28e2b; }
header .help { margin-left: auto; }
.banner { background: #fff7e0; border: 1px solid #edc948; padding: .5rem .75rem; }
.error-page { color: #b00020; }
form.inline { display: inline; }
button { font: inherit; padding: .2rem .7rem; cursor: pointer; }
.progress { color: #555; margin-left: .5rem; }
th { white-space: nowrap; }
th.sortable { cursor: pointer; user-select: none; } th.sortable::after { content: " \\2195"; color: #aaa; }
td.grow { color: #b00020; } td.shrink { color: #59a14f; }
ul.refs { list-style: none; padding-left: 1.2rem; border-left: 1px dotted #bbb; }
ul.refs > li { margin: .15rem 0; }
ul.refs button.expand { font-size: .8rem; padding: 0 .4rem; margin-right: .4rem; }
.limit { color: #8a6d00; font-style: italic; }
.graph svg { max-width: 100%; height: auto; border: 1px solid #eee; }
.treemap { margin: 0; } .treemap svg { max-width: 100%; height: auto; }
pre.sample { background: #f6f8fa; padding: .75rem; overflow-x: auto; }
`;

const SCRIPT = `"use strict";
(() => {
  const token = document.querySelector('meta[name="heapler-token"]')?.getAttribute("content") ?? "";
  const el = (tag, attributes = {}, text) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  const size = (bytes) => {
    let value = bytes, unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return (unit === 0 ? String(value) : value.toFixed(2)) + " " + units[unit];
  };

  // Forms that change state post with the token; long ones show progress meanwhile.
  for (const form of document.querySelectorAll("form[data-action]")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = form.querySelector(".progress");
      const button = form.querySelector("button");
      if (button) button.disabled = true;
      let polling = true;
      const poll = async () => {
        while (polling) {
          try {
            const progress = await (await fetch("/api/progress")).json();
            if (status && progress.busy) status.textContent = progress.busy + ": " + size(progress.bytesRead) + " read";
          } catch {
            // A missed reading: the next one comes.
          }
          await new Promise((done) => setTimeout(done, 200));
        }
      };
      if (status) status.textContent = "working";
      const poller = poll();
      try {
        const response = await fetch(form.dataset.action, {
          method: "POST",
          headers: { "x-heapler-token": token, accept: "application/json" },
        });
        const answer = await response.json();
        if (!response.ok) throw new Error(answer.error ?? response.statusText);
        polling = false;
        await poller; // no reading left in flight when the page goes
        location.assign(answer.location ?? location.href);
      } catch (error) {
        polling = false;
        if (status) status.textContent = "failed: " + error.message;
        if (button) button.disabled = false;
      }
    });
  }

  // Sortable tables: click a header; cells sort by data-value when they have one.
  for (const table of document.querySelectorAll("table.sortable")) {
    table.querySelectorAll("th").forEach((th, column) => {
      th.classList.add("sortable");
      th.addEventListener("click", () => {
        const body = table.tBodies[0];
        const descending = th.dataset.order !== "desc";
        th.dataset.order = descending ? "desc" : "asc";
        const key = (row) => {
          const cell = row.cells[column];
          const value = cell?.dataset.value;
          return value === undefined ? (cell?.textContent ?? "") : Number(value);
        };
        const rows = [...body.rows].sort((a, b) => {
          const x = key(a), y = key(b);
          const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
          return descending ? -order : order;
        });
        body.append(...rows);
      });
    });
  }

  // The live process chart: polls the JSON endpoint and redraws its lines.
  const chart = document.querySelector("svg[data-live]");
  if (chart) {
    const points = [];
    const width = 760, height = 220, left = 70, top = 10, bottom = 24;
    const lines = { rss: chart.querySelector('[data-series="rss"]'), heapUsed: chart.querySelector('[data-series="heap used"]') };
    const label = chart.querySelector(".max");
    const draw = () => {
      const max = Math.max(1, ...points.map((p) => Math.max(p.rss ?? 0, p.heapUsed ?? 0)));
      const x = (i) => left + (points.length < 2 ? 0 : (i / (points.length - 1)) * (width - left - 10));
      const y = (v) => top + (1 - v / max) * (height - top - bottom);
      for (const [key, line] of Object.entries(lines)) {
        const coords = points.map((p, i) => p[key] === null ? null : x(i).toFixed(1) + "," + y(p[key]).toFixed(1)).filter(Boolean);
        if (line && coords.length > 0) line.setAttribute("d", "M" + coords.join("L"));
      }
      if (label) label.textContent = size(max);
      chart.dataset.points = String(points.length);
    };
    const tick = async () => {
      try {
        const data = await (await fetch(chart.dataset.live)).json();
        points.push({ rss: data.memory.rss, heapUsed: data.memory.heapUsed });
        if (points.length > 120) points.shift();
        for (const cell of document.querySelectorAll("[data-field]")) {
          const value = data.memory[cell.dataset.field];
          cell.textContent = value === null || value === undefined ? "unknown" : cell.dataset.field === "pagefaults" ? String(value) : size(value);
        }
        draw();
      } catch {
        // The server went away: keep the last picture.
      }
    };
    void tick();
    setInterval(tick, Number(chart.dataset.interval ?? 1000));
  }

  // The referrer browser: each button loads one more level of referrers, once.
  const expand = async (button) => {
    button.disabled = true;
    const item = button.closest("li");
    const data = await (await fetch("/api/refs/" + button.dataset.id + "?limit=" + (button.dataset.limit ?? "50"))).json();
    const list = el("ul", { class: "refs" });
    for (const referrer of data.referrers) list.append(refItem(referrer));
    if (data.total > data.referrers.length) {
      list.append(el("li", { class: "limit" }, (data.total - data.referrers.length) + " more referrers not shown (limit " + data.limit + ")"));
    }
    if (data.total === 0) list.append(el("li", { class: "limit" }, "no referrers: held by the root or only by heapler"));
    item.append(list);
    button.textContent = "\\u2212";
  };
  const refItem = (record) => {
    const item = el("li", { "data-id": String(record.id) });
    const button = el("button", { class: "expand", "data-id": String(record.id), type: "button", title: "show who holds this" }, "+");
    button.addEventListener("click", () => void expand(button));
    item.append(button, el("code", {}, record.label), " ");
    item.append(el("span", { class: "note" }, size(record.selfSize) + " \\u00b7 @" + record.id + " "));
    item.append(el("a", { href: "/refs/" + record.id }, "open"), " ", el("a", { href: "/graph/" + record.id }, "graph"));
    return item;
  };
  for (const button of document.querySelectorAll("button.expand[data-id]")) {
    button.addEventListener("click", () => { if (!button.disabled) void expand(button); });
  }
})();
`;

/** The files under `/static/`, by name: type and text. */
export const STATIC_FILES: ReadonlyMap<string, { type: string; body: string }> = new Map([
  ["heapler.css", { type: "text/css; charset=utf-8", body: STYLE }],
  ["heapler.js", { type: "text/javascript; charset=utf-8", body: SCRIPT }],
]);
