/**
 * `HtmlStats`: a class tracker's records as one self-contained HTML page, with charts drawn as
 * inline SVG (no script, no network).
 *
 * @module
 */
import { escapeXml } from "../format/internal.ts";
import { pp, ppShort, ppTimestamp } from "../format/mod.ts";
import { writeFileAtomic } from "../runtime/internal.ts";
import type { Asized } from "../sizeof/mod.ts";
import { Stats } from "./stats.ts";
import { type ClassSnapshot, liveCounts, type TrackedObject } from "./tracked_object.ts";

/** Series colours, repeated when there are more classes. */
const PALETTE = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
];
const OTHER_COLOUR = "#d9d9d9";

const WIDTH = 760;
const HEIGHT = 260;
const MARGIN = { left: 80, right: 16, top: 12, bottom: 36 };

/** One line or band of a chart. */
interface Series {
  name: string;
  colour: string;
  points: [x: number, y: number][];
}

/**
 * {@linkcode Stats} as an HTML report: a chart of memory over time stacked by class (on its own
 * scale), one of the process around it (resident memory, the tracked total, the tracker's
 * overhead), one of live instances per class, a table per snapshot and a section per class with
 * its live instances over time, instances, construction stacks and referent sizes.
 * Everything from the heap is escaped; the page needs no network to be viewed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClassTracker, HtmlStats } from "heapler/classtracker";
 * const tracker = new ClassTracker();
 * const Task = tracker.trackClass(class Task { data = [1, 2, 3]; });
 * const tasks = [new Task()];
 * await tracker.createSnapshot("one");
 * const html = new HtmlStats({ tracker }).toHtml({ title: "Tasks" });
 * assert(html.includes('data-series="Task"') && tasks.length === 1);
 * ```
 */
export class HtmlStats extends Stats {
  /**
   * Writes the report, atomically.
   *
   * @param path The HTML file.
   * @param options The page title.
   */
  async createHtml(path: string, options: { title?: string } = {}): Promise<void> {
    await writeFileAtomic(path, this.toHtml(options));
  }

  /**
   * The report's HTML.
   *
   * @param options The page title. @default "ClassTracker Statistics"
   * @returns The page.
   */
  toHtml(options: { title?: string } = {}): string {
    const title = escapeXml(options.title ?? "ClassTracker Statistics");
    const names = this.trackedClasses;
    const body = [
      `<h1>${title}</h1>`,
      this.#contents(names),
      this.overviewHtml(),
      ...names.map((name) => this.classHtml(name)),
    ];
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
${body.join("\n")}
</body>
</html>
`;
  }

  /**
   * The report's charts and snapshot tables, for a page that lays them out itself.
   *
   * @param options `classHref`: where a class name links to. @default the class's section
   * @returns The HTML fragment.
   */
  overviewHtml(options: { classHref?: (name: string) => string } = {}): string {
    const names = this.trackedClasses;
    const colours = this.#colours(names);
    const href = options.classHref ?? ((name: string) => `#${classAnchor(name)}`);
    return [
      `<h2 id="memory">Memory over time</h2>`,
      this.snapshots.length === 0
        ? "<p>No snapshots were taken: call <code>createSnapshot()</code> or start periodic snapshots.</p>"
        : stackedChart(this.#memorySeries(names, colours), "Memory over time, stacked by class"),
      this.#processChart(),
      `<h2 id="instances">Live instances</h2>`,
      this.objects.length === 0
        ? "<p>No object was tracked.</p>"
        : lineChart(this.#countSeries(names, colours), "Live instances per class"),
      `<h2 id="snapshots">Snapshots</h2>`,
      ...this.snapshots.map((snapshot) => this.#snapshotTable(snapshot, names, href)),
    ].join("\n");
  }

  /**
   * One class's section: its lifetimes, merged referents and a row per instance.
   *
   * @param name The class name.
   * @returns The HTML fragment, or an empty string for a class without tracked objects.
   */
  classHtml(name: string): string {
    if (!this.index.has(name)) return "";
    return this.#classSection(name, this.#colours(this.trackedClasses).get(name)!);
  }

  #colours(names: string[]): Map<string, string> {
    return new Map(names.map((name, i) => [name, PALETTE[i % PALETTE.length]!]));
  }

  #contents(names: string[]): string {
    const links = names.map((name) =>
      `<li><a href="#${classAnchor(name)}">${escapeXml(name)}</a> (${
        this.index.get(name)!.length
      } tracked)</li>`
    );
    return `<nav><ul><li><a href="#memory">Memory over time</a></li><li><a href="#instances">Live instances</a></li><li><a href="#snapshots">Snapshots</a></li>${
      links.join("")
    }</ul></nav>`;
  }

  /** One band per class: the tracked bytes on their own scale, however small beside the process. */
  #memorySeries(names: string[], colours: Map<string, string>): Series[] {
    return names.map((name) => ({
      name,
      colour: colours.get(name)!,
      points: this.snapshots.map((snapshot): [number, number] => [
        snapshot.timestamp,
        this.annotateSnapshot(snapshot).get(name)!.sum,
      ]),
    }));
  }

  /**
   * The process around the tracked objects, on a chart of its own: resident memory (or the JS
   * heap), the tracked total, and the tracker's own overhead.
   */
  #processChart(): string {
    if (this.snapshots.length === 0) return "";
    const line = (name: string, colour: string, value: (snapshot: ClassSnapshot) => number) => ({
      name,
      colour,
      points: this.snapshots.map((snapshot): [number, number] => [
        snapshot.timestamp,
        value(snapshot),
      ]),
    });
    const whole = this.snapshots.some((snapshot) => snapshot.system.rss !== undefined)
      ? line("resident memory (rss)", OTHER_COLOUR, (snapshot) => snapshot.system.rss ?? 0)
      : line("JS heap in use", OTHER_COLOUR, (snapshot) => snapshot.asizeofTotal);
    return `<h3>The process around them</h3>${
      lineChart([
        whole,
        line("tracked objects", PALETTE[0]!, (snapshot) => snapshot.trackedTotal),
        line("tracker overhead", PALETTE[1]!, (snapshot) => snapshot.overhead),
      ], "Process memory, tracked objects and the tracker's overhead")
    }<p class="note">${OVERHEAD_NOTE}</p>`;
  }

  /** One step line per class: live instances after each birth and death. */
  #countSeries(names: string[], colours: Map<string, string>): Series[] {
    const end = Math.max(
      0,
      ...this.objects.map((object) => object.death ?? object.birth),
      ...this.snapshots.map((snapshot) => snapshot.timestamp),
    );
    return names.map((name) => {
      const counts = liveCounts(this.index.get(name)!);
      const points: [number, number][] = [[counts[0]![0], 0]];
      for (const [time, live] of counts) points.push([time, points.at(-1)![1]], [time, live]);
      points.push([end, counts.at(-1)![1]]);
      return { name, colour: colours.get(name)!, points };
    });
  }

  #snapshotTable(
    snapshot: ClassSnapshot,
    names: string[],
    href: (name: string) => string,
  ): string {
    const classes = this.annotateSnapshot(snapshot);
    const rows = names.map((name) => {
      const row = classes.get(name)!;
      return `<tr><td><a href="${escapeXml(href(name))}">${
        escapeXml(name)
      }</a></td><td class="n">${row.active}</td><td class="n">${
        escapeXml(pp(row.sum))
      }</td><td class="n">${escapeXml(pp(row.avg))}</td><td class="n">${
        row.pct.toFixed(2)
      }%</td></tr>`;
    });
    const system = [
      snapshot.system.rss === undefined ? "" : `rss ${escapeXml(pp(snapshot.system.rss))}`,
      snapshot.system.vsz === undefined ? "" : `vsz ${escapeXml(pp(snapshot.system.vsz))}`,
      snapshot.asizeofTotal === 0 ? "" : `JS heap ${escapeXml(pp(snapshot.asizeofTotal))}`,
      `tracked ${escapeXml(pp(snapshot.trackedTotal))}`,
      `<span title="${escapeXml(OVERHEAD_NOTE)}">tracker overhead ${
        escapeXml(pp(snapshot.overhead))
      }</span>`,
    ].filter((part) => part !== "");
    const followed = snapshot.discoveryFollowed
      ? ""
      : `<p class="note">Discovered instances are counted per snapshot, not followed across snapshots (Bun's snapshot ids change every time).</p>`;
    const title = snapshot.desc === ""
      ? `Periodic snapshot at ${snapshot.timestamp.toFixed(2)} s`
      : snapshot.label;
    return `<section class="snapshot"><h3>${escapeXml(title)}</h3><p>${
      system.join(" · ")
    }</p>${followed}
<table><thead><tr><th>Class</th><th>Active</th><th>Size</th><th>Average</th><th title="share of the snapshot's total: the process's resident memory when known, else the JS heap, else the tracked total">pct</th></tr></thead><tbody>${
      rows.join("")
    }</tbody></table></section>`;
  }

  #classSection(name: string, colour: string): string {
    const objects = this.index.get(name)!;
    const last = this.snapshots.at(-1);
    const merged = last === undefined ? undefined : this.annotateSnapshot(last).get(name)!.merged;
    const rows = objects.map((object) => instanceRow(object));
    return `<section class="class" id="${
      classAnchor(name)
    }"><h2><span class="swatch" style="background:${colour}"></span>${escapeXml(name)}</h2>
${lifetimeChart(objects, this.snapshots, colour)}
${
      merged === undefined || merged.refs.length === 0
        ? ""
        : `<h3>Referents at ${escapeXml(last!.label)}, all instances merged</h3><ul class="tree">${
          referentItems(merged)
        }</ul>`
    }
<table><thead><tr><th>Id</th><th>Object</th><th>Birth</th><th>Death</th><th>Largest size</th><th>Sizes at snapshots</th><th>Constructed at</th></tr></thead><tbody>${
      rows.join("")
    }</tbody></table></section>`;
  }
}

function instanceRow(object: TrackedObject): string {
  const sizes = object.samples.map((sample) => escapeXml(ppShort(sample.sized.size))).join(", ");
  const trace = object.trace.map((frame) =>
    `${escapeXml(frame.function)} (${escapeXml(frame.file)}:${escapeXml(String(frame.line))})`
  ).join("<br>");
  const birth = `${escapeXml(ppTimestamp(object.birth))}${
    object.discovered ? " (first seen)" : ""
  }`;
  const death = object.death === undefined ? "alive" : escapeXml(ppTimestamp(object.death));
  const error = object.error === undefined
    ? ""
    : `<br><span class="error">${escapeXml(object.error)}</span>`;
  return `<tr><td class="n">${object.id}</td><td><code>${
    escapeXml(object.repr)
  }</code>${error}</td><td>${birth}</td><td>${death}</td><td class="n">${
    escapeXml(pp(object.maxSize()))
  }</td><td>${sizes}</td><td class="trace">${trace}</td></tr>`;
}

function referentItems(sized: Asized): string {
  return [...sized.refs].sort((a, b) => b.size - a.size).map((ref) =>
    `<li><code>${escapeXml(ref.name)}</code> ${escapeXml(ppShort(ref.size))}${
      ref.refs.length > 0 ? `<ul>${referentItems(ref)}</ul>` : ""
    }</li>`
  ).join("");
}

/** Bytes of the process outside the tracked objects and the tracker. */
function classAnchor(name: string): string {
  return `class-${encodeURIComponent(name).replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

/** Maps data to the chart's pixels, with round axis ticks. */
function scales(series: Series[], yMax: number): {
  x: (value: number) => number;
  y: (value: number) => number;
  axes: string;
} {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const xSpan = xMax - xMin || 1;
  const top = yMax || 1;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (value: number) => MARGIN.left + ((value - xMin) / xSpan) * plotWidth;
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = (top * i) / 4;
    ticks.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${
        y(value).toFixed(1)
      }" y2="${y(value).toFixed(1)}"/><text class="tick" x="${MARGIN.left - 6}" y="${
        (y(value) + 4).toFixed(1)
      }" text-anchor="end">${
        escapeXml(
          series.length > 0 && yMax === Math.round(yMax) && yMax < 1e4
            ? String(Math.round(value))
            : ppShort(value),
        )
      }</text>`,
    );
  }
  // The first time reads from the axis's start, the last up to its end: neither is cut.
  for (const [value, anchor] of [[xMin, "start"], [xMax, "end"]] as const) {
    ticks.push(
      `<text class="tick" x="${x(value).toFixed(1)}" y="${
        HEIGHT - MARGIN.bottom + 18
      }" text-anchor="${anchor}">${value.toFixed(2)} s</text>`,
    );
  }
  return { x, y, axes: ticks.join("") };
}

function legend(series: Series[]): string {
  return `<ul class="legend">${
    series.map((s) =>
      `<li><span class="swatch" style="background:${s.colour}"></span>${escapeXml(s.name)}</li>`
    ).join("")
  }</ul>`;
}

/** Bands stacked from the first series up. */
function stackedChart(series: Series[], label: string): string {
  const base = series[0]?.points.map(() => 0) ?? [];
  const tops = series.map((s) => s.points.map(([, value], i) => base[i]! += value));
  const { x, y, axes } = scales(series, Math.max(0, ...base));
  let below = series[0]?.points.map(() => 0) ?? [];
  const bands = series.map((s, index) => {
    const above = tops[index]!;
    const upper = s.points.map(([time], i) => `${x(time).toFixed(1)},${y(above[i]!).toFixed(1)}`);
    const lower = s.points.map(([time], i) => `${x(time).toFixed(1)},${y(below[i]!).toFixed(1)}`)
      .reverse();
    below = above;
    return `<path class="series" data-series="${
      escapeXml(s.name)
    }" fill="${s.colour}" stroke="${s.colour}" d="M${[...upper, ...lower].join("L")}Z"><title>${
      escapeXml(s.name)
    }</title></path>`;
  });
  return `<figure><svg class="chart" role="img" aria-label="${
    escapeXml(label)
  }" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg">${axes}${
    bands.join("")
  }</svg>${legend(series)}</figure>`;
}

/** Dash patterns that tell overlapping lines apart. */
const DASHES = [
  "",
  ' stroke-dasharray="6 3"',
  ' stroke-dasharray="2 3"',
  ' stroke-dasharray="8 3 2 3"',
];

/** One line per series. */
function lineChart(series: Series[], label: string): string {
  const { x, y, axes } = scales(
    series,
    Math.max(0, ...series.flatMap((s) => s.points.map(([, v]) => v))),
  );
  // Equal values would hide one line under another: each line has its own dash and width.
  const lines = series.map((s, index) =>
    `<path class="series" data-series="${
      escapeXml(s.name)
    }" fill="none" stroke="${s.colour}" stroke-width="${3 - (index % 3) * 0.75}"${
      DASHES[index % DASHES.length]
    } d="M${
      s.points.map(([time, value]) => `${x(time).toFixed(1)},${y(value).toFixed(1)}`).join("L")
    }"><title>${escapeXml(s.name)}</title></path>`
  );
  return `<figure><svg class="chart" role="img" aria-label="${
    escapeXml(label)
  }" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg">${axes}${
    lines.join("")
  }</svg>${legend(series)}</figure>`;
}

/**
 * A class's lifetimes, aggregated: its live instances over time as an area (one stripe per
 * instance reads as a solid block past a few dozen), with how many were made and collected and
 * how long the collected ones lived.
 */
function lifetimeChart(
  objects: readonly TrackedObject[],
  snapshots: readonly ClassSnapshot[],
  colour: string,
): string {
  const end = Math.max(
    ...objects.map((object) => object.death ?? object.birth),
    ...snapshots.map((snapshot) => snapshot.timestamp),
  );
  const counts = liveCounts(objects);
  const points: [number, number][] = [[counts[0]![0], 0]];
  for (const [time, live] of counts) points.push([time, points.at(-1)![1]], [time, live]);
  points.push([end, counts.at(-1)![1]]);
  const series: Series[] = [{ name: "live instances", colour, points }];
  const { x, y, axes } = scales(series, Math.max(...points.map(([, live]) => live)));
  const outline = points.map(([time, live]) => `${x(time).toFixed(1)},${y(live).toFixed(1)}`);
  const area = `M${x(points[0]![0]).toFixed(1)},${y(0).toFixed(1)}L${outline.join("L")}L${
    x(end).toFixed(1)
  },${y(0).toFixed(1)}Z`;
  const lived = objects.flatMap((object) =>
    object.death === undefined ? [] : [object.death - object.birth]
  ).sort((a, b) => a - b);
  const median = lived.length === 0 ? undefined : lived[Math.floor(lived.length / 2)]!;
  const caption = `Lifetimes: ${objects.length} made, ${lived.length} collected${
    median === undefined ? "" : ` after ${median.toFixed(2)} s (median)`
  }, ${objects.length - lived.length} alive at the end`;
  return `<figure><svg class="lifetimes" role="img" aria-label="${
    escapeXml(caption)
  }" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg">${axes}<path class="series" data-series="live instances" fill="${colour}" fill-opacity="0.6" stroke="${colour}" d="${area}"><title>live instances</title></path></svg><figcaption>${
    escapeXml(caption)
  }</figcaption></figure>`;
}

/** What "tracker overhead" is, said wherever it is shown. */
const OVERHEAD_NOTE =
  "Tracker overhead is what the tracker itself keeps to follow the tracked objects (their " +
  "records, sizes and construction stacks); it is heapler's, not the program's, and is not in " +
  "the tracked figures.";

/** The report's style sheet (the web front end serves it too). */
/**
 * The report's content security policy: no script, no network; its inline style sheet, the
 * charts' inline styles and data images only. A name that slipped past escaping could not run.
 */
const REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export const REPORT_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border-bottom: 1px solid #eee; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.trace { font-size: .8rem; color: #555; }
code { font-size: .85rem; word-break: break-all; }
.chart, .lifetimes { width: 100%; height: auto; background: #fff; }
.grid { stroke: #eee; } .tick { font-size: 11px; fill: #666; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .75rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: middle; }
rect.alive { fill: #4e79a7; } rect.dead { fill: #b9cde0; }
.note { color: #555; font-size: .9rem; } .error { color: #b00020; }
nav ul { columns: 2; } ul.tree { font-size: .9rem; }
`;
