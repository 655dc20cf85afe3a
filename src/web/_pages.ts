/**
 * The front end's HTML: one layout and one renderer per page, each a pure function of the data
 * its JSON twin returns. Every text that came from the heap goes through `escapeXml`.
 *
 * @module
 */
import type { GarbageObject } from "../garbagegraph/mod.ts";
import { escapeXml } from "../format/internal.ts";
import { ppShort } from "../format/mod.ts";
import { FIELD_LABELS } from "../process/internal.ts";
import { type ProcessMemoryField } from "../process/mod.ts";
import type { RequestRecord } from "./middleware.ts";
import type { ComponentRow } from "./_garbage.ts";
import type { Holder, Insight } from "../insights/mod.ts";
import type {
  GarbageData,
  GraphData,
  InsightsData,
  ProcessData,
  RefRecord,
  RefsData,
  RequestsData,
  SnapshotInfo,
  SummaryData,
  TrackerData,
  TypeData,
} from "./_data.ts";

/** The pages of the navigation bar, in order. */
const NAV: readonly [path: string, label: string][] = [
  ["/", "overview"],
  ["/process", "process"],
  ["/summary", "memory summary"],
  ["/tracker", "tracked classes"],
  ["/insights", "insights"],
  ["/garbage", "garbage"],
  ["/requests", "requests"],
];

/** Text for HTML. */
const h = escapeXml;

/** A size as text: `1.20 MB`, `12 B`. */
function bytes(size: number | null | undefined): string {
  return size === null || size === undefined ? "unknown" : ppShort(size);
}

/** A signed size change. */
function signedBytes(size: number): string {
  return `${size > 0 ? "+" : size < 0 ? "-" : ""}${bytes(Math.abs(size))}`;
}

/** What every page has around its body. */
export interface Layout {
  /** The page title. */
  title: string;
  /** The path of the navigation entry to highlight. */
  section: string;
  /** The token state-changing forms send. */
  token: string;
  /** A line on top of every page (e.g. which files are browsed), as HTML. */
  banner?: string;
}

/** The whole page around a body. */
export function page(layout: Layout, body: string): string {
  const nav = NAV.map(([path, label]) =>
    `<a href="${path}"${path === layout.section ? ' class="here"' : ""}>${label}</a>`
  ).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="heapler-token" content="${h(layout.token)}">
<title>heapler - ${h(layout.title)}</title>
<link rel="stylesheet" href="/static/heapler.css">
<link rel="icon" href="data:,">
<script src="/static/heapler.js" defer></script>
</head>
<body>
<header><a class="brand" href="/">heapler</a><nav>${nav}</nav><a class="help${
    layout.section === "/help" ? " here" : ""
  }" href="/help">help</a></header>
${layout.banner === undefined ? "" : `<p class="banner">${layout.banner}</p>`}
<main>
<h1>${h(layout.title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** A button that posts to `action` with the token (by script, or as a plain form). */
function actionButton(action: string, label: string, token: string): string {
  return `<form class="inline" method="post" action="${h(action)}" data-action="${
    h(action)
  }"><input type="hidden" name="token" value="${h(token)}"><button type="submit">${
    h(label)
  }</button><span class="progress" aria-live="polite"></span></form>`;
}

function snapshotLine(info: SnapshotInfo): string {
  return `Snapshot ${info.number} of ${h(info.source)}, taken ${h(info.takenAt)}: ${
    info.nodes.toLocaleString("en")
  } nodes.`;
}

const PROCESS_ROWS: readonly ProcessMemoryField[] = ["vsz", "rss", "pagefaults", "heapUsed"];

/** `/`: the overview with its live chart. */
export function overviewPage(data: ProcessData): string {
  const rows = PROCESS_ROWS.map((field) =>
    `<tr><th>${h(FIELD_LABELS[field])}</th><td class="n" data-field="${field}">${
      field === "pagefaults" ? String(data.memory[field] ?? "unknown") : bytes(data.memory[field])
    }</td></tr>`
  ).join("");
  return `<p>${h(data.runtime.runtime)} ${h(data.runtime.version)} (${
    data.runtime.engine === "v8" ? "V8" : "JavaScriptCore"
  }), process ${data.memory.pid}.</p>
<h2>Process overview</h2>
<table class="process"><tbody>${rows}</tbody></table>
<h2>Memory over time</h2>
<figure><svg class="chart live" data-live="/api/process" data-interval="1000" data-points="0" role="img" aria-label="Resident set size and JS heap in use, live" viewBox="0 0 760 220" xmlns="http://www.w3.org/2000/svg">
<line class="grid" x1="70" x2="750" y1="10" y2="10"/><line class="grid" x1="70" x2="750" y1="196" y2="196"/>
<text class="tick max" x="64" y="14" text-anchor="end"></text><text class="tick" x="64" y="200" text-anchor="end">0</text>
<path class="series" data-series="rss" fill="none" stroke="#4e79a7" stroke-width="2" d=""/>
<path class="series" data-series="heap used" fill="none" stroke="#f28e2b" stroke-width="2" d=""/>
</svg><ul class="legend"><li><span class="swatch" style="background:#4e79a7"></span>rss</li><li><span class="swatch" style="background:#f28e2b"></span>JS heap used</li></ul>
<figcaption class="note">Polled every second from <a href="/api/process">/api/process</a>; the last two minutes.</figcaption></figure>`;
}

/** `/process`: every figure, and the operating system's own. */
export function processPage(data: ProcessData): string {
  const fields = (Object.keys(FIELD_LABELS) as ProcessMemoryField[]).map((field) =>
    `<tr><th>${h(FIELD_LABELS[field])}</th><td class="n">${
      field === "pagefaults" ? String(data.memory[field] ?? "unknown") : bytes(data.memory[field])
    }</td></tr>`
  ).join("");
  const os = data.osSpecific.map(([label, value]) =>
    `<tr><th>${h(label)}</th><td class="n">${h(value.trim())}</td></tr>`
  ).join("");
  const reason = data.memory.reason === null
    ? ""
    : `<p class="note">Some figures are unknown: ${h(data.memory.reason)}</p>`;
  return `<h2>Process information</h2>
<table><tbody><tr><th>Process id</th><td class="n">${data.memory.pid}</td></tr>
<tr><th>Runtime</th><td class="n">${h(data.runtime.runtime)} ${h(data.runtime.version)}</td></tr>
<tr><th>Pointer compression</th><td class="n">${
    data.runtime.pointerCompression ? "yes" : "no"
  }</td></tr>${fields}</tbody></table>${reason}
${os === "" ? "" : `<h2>Operating system figures</h2><table><tbody>${os}</tbody></table>`}`;
}

function typeTable(rows: SummaryData["rows"], signed: boolean, linked: boolean): string {
  const body = rows.map((row) => {
    const name = linked
      ? `<a href="/summary/type/${encodeURIComponent(row.type)}">${h(row.type)}</a>`
      : h(row.type);
    const trend = signed ? (row.size > 0 ? ' class="n grow"' : ' class="n shrink"') : ' class="n"';
    return `<tr><td>${name}</td><td class="n" data-value="${row.count}">${
      signed && row.count > 0 ? "+" : ""
    }${row.count}</td><td${trend} data-value="${row.size}">${
      signed ? signedBytes(row.size) : bytes(row.size)
    }</td></tr>`;
  }).join("");
  return `<table class="sortable"><thead><tr><th>Type</th><th># objects</th><th>Total size</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** `/summary`: the type summary of the current snapshot and its diff against the previous. */
export function summaryPage(data: SummaryData, token: string): string {
  const take = data.live
    ? `<p>${
      actionButton("/summary/snapshot", "Take a snapshot", token)
    } <span class="note">A heap snapshot pauses the program while it is written.</span></p>`
    : "";
  if (data.snapshot === null) {
    return `${take}<p>No snapshot yet: take one to see which types hold the memory.</p>`;
  }
  const diff = data.diff === null
    ? `<p class="note">Take another snapshot to see what changed.</p>`
    : data.diff.length === 0
    ? `<p>No type changed between snapshot ${
      data.previous!.number
    } and ${data.snapshot.number}.</p>`
    : typeTable(data.diff, true, true) + more(data.diff.length, data.changed, "changed types");
  return `${take}<p>${snapshotLine(data.snapshot)} ${
    data.programOnly
      ? "Counted: what the program made and holds; heapler's own objects are left out."
      : "Counted: every object of the file."
  }</p>
<h2>Changes${data.previous === null ? "" : ` since snapshot ${data.previous.number}`}</h2>
${diff}
${growthSection(data.growth, data.live)}
<form class="inline" method="get" action="/refs"><label>Who holds object <input name="id" size="12" placeholder="@12345" required></label> <button type="submit">Show referrers</button></form>
<h2>Types</h2>
<p class="note">Click a type for its largest objects and who holds them; click a column to sort.</p>
${typeTable(data.rows, false, true)}${more(data.rows.length, data.types, "types")}`;
}

/** How many counts a growth row shows: the newest. */
const GROWTH_STEPS_SHOWN = 6;

/** The types that grew at every step over the kept snapshots, or how to get there. */
function growthSection(growth: SummaryData["growth"], live: boolean): string {
  if (growth === null) {
    return `<p class="note">${
      live ? "Take three snapshots or more" : "Load three snapshot files or more"
    } to see the types that grow at every step.</p>`;
  }
  const span = `snapshots ${growth.of[0]}–${growth.of.at(-1)}`;
  if (growth.count === 0) {
    return `<h2>Growing at every step</h2><p>No type grew from every snapshot to the next over ${span}.</p>`;
  }
  const body = growth.items.map(({ name, counts, sizes }) => {
    const shown = counts.slice(-GROWTH_STEPS_SHOWN).join(" → ");
    const grew = sizes.at(-1)! - sizes[0]!;
    return `<tr><td><a href="/summary/type/${encodeURIComponent(name)}">${
      h(name)
    }</a></td><td class="n">${
      counts.length > GROWTH_STEPS_SHOWN ? "… " : ""
    }${shown}</td><td class="n grow" data-value="${grew}">${signedBytes(grew)}</td></tr>`;
  }).join("");
  return `<h2>Growing at every step</h2>
<p class="note">${h(growth.explanation)} Over ${span}: ${growth.count} type${
    growth.count === 1 ? "" : "s"
  }, ${bytes(growth.bytes)} grown. Click a type for its largest objects and who holds them.</p>
<table class="sortable"><thead><tr><th>Type</th><th># objects, snapshot by snapshot</th><th>Grew by</th></tr></thead><tbody>${body}</tbody></table>${
    more(growth.items.length, growth.count, "growing types")
  }`;
}

function more(shown: number, total: number, what: string): string {
  return shown >= total
    ? ""
    : `<p class="limit">The ${shown} largest of ${total} ${what}: <a href="?limit=${total}">show all</a>.</p>`;
}

/** `/summary/type/<name>`: the largest objects of a type. */
export function typePage(data: TypeData): string {
  const rows = data.instances.map((object) =>
    `<tr><td><a href="/refs/${object.id}">@${object.id}</a></td><td><code>${
      h(object.name.slice(0, 80))
    }</code></td><td class="n" data-value="${object.selfSize}">${
      bytes(object.selfSize)
    }</td><td class="n" data-value="${object.retainedSize}">${
      bytes(object.retainedSize)
    }</td><td><a href="/refs/${object.id}">referrers</a> · <a href="/graph/${object.id}">graph</a></td></tr>`
  ).join("");
  const more = data.count > data.instances.length
    ? `<p class="limit">The largest ${data.instances.length} of ${data.count} objects (limit ${data.limit}).</p>`
    : "";
  return `<p>${snapshotLine(data.snapshot)} ${data.count} objects of type <code>${
    h(data.type)
  }</code>, ${bytes(data.size)} in all.</p>${more}
<table class="sortable"><thead><tr><th>Id</th><th>Name</th><th>Own size</th><th>Retained size</th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function refItem(record: RefRecord, expandable: boolean): string {
  const button = expandable
    ? `<button class="expand" type="button" data-id="${record.id}" title="show who holds this">+</button>`
    : "";
  return `<li data-id="${record.id}">${button}<code>${h(record.label)}</code> <span class="note">${
    bytes(record.selfSize)
  } · @${record.id} </span><a href="/refs/${record.id}">open</a> <a href="/graph/${record.id}">graph</a></li>`;
}

/** `/refs/<id>`: the interactive referrer browser, rooted at one object. */
export function refsPage(data: RefsData): string {
  const items = data.referrers.map((record) => refItem(record, true)).join("");
  const more = data.total > data.offset + data.referrers.length
    ? `<li class="limit">${
      data.total - data.offset - data.referrers.length
    } more referrers not shown (limit ${data.limit}): <a href="/refs/${data.node.id}?offset=${
      data.offset + data.limit
    }">next</a></li>`
    : "";
  const none = data.total === 0
    ? `<li class="limit">no referrers: held by the root or only by heapler</li>`
    : "";
  return `<p>${snapshotLine(data.snapshot)} Expand a referrer to see who holds it in turn.</p>
<p>Retaining path: <code>${h(data.path)}</code></p>
<ul class="refs root"><li data-id="${data.node.id}"><code>${
    h(data.node.label)
  }</code> <span class="note">${
    bytes(data.node.selfSize)
  } · @${data.node.id}</span> <a href="/graph/${data.node.id}">graph</a>
<ul class="refs">${items}${more}${none}</ul></li></ul>`;
}

/** `/graph/<id>`: the reference graph around an object. */
export function graphPage(data: GraphData, svg: string): string {
  const other = data.reduce
    ? `<a href="/graph/${data.id}?depth=${data.depth}">full graph</a>`
    : `<a href="/graph/${data.id}?depth=${data.depth}&amp;reduce=1">cycles only</a>`;
  return `<p>${
    snapshotLine(data.snapshot)
  } What object @${data.id} references, ${data.depth} levels deep${
    data.reduce ? ", reduced to the objects on cycles" : ""
  }: ${data.nodes.length} objects, ${data.edges.length} references. ${other} · <a href="/refs/${data.id}">referrers</a></p>
<div class="graph">${svg}</div>`;
}

function componentTable(components: readonly ComponentRow[]): string {
  const rows = components.map((row) =>
    `<tr><td><a href="/garbage/${row.index}">${
      row.kind === "alive" ? "Live group" : "Freed group"
    } ${row.index}</a></td><td>${
      h(row.types)
    }</td><td>${row.kind}</td><td class="n">${row.objects}</td><td class="n">${row.inCycles}</td><td class="n" data-value="${row.size}">${
      bytes(row.size)
    }</td></tr>`
  ).join("");
  return `<table class="sortable"><thead><tr><th>Group</th><th>Types</th><th>Kind</th><th># objects</th><th># on cycles</th><th>Total size</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** `/garbage`: the groups of objects freed, or still alive on new cycles, since a baseline. */
export function garbagePage(data: GarbageData, token: string): string {
  const explain =
    `<p>JavaScript collects cycles by itself, so heapler measures garbage between two snapshots: a
<em>baseline</em> and a <em>check</em>. <strong>Live</strong> groups are reference cycles made since the baseline
that are still alive (leak suspects); <strong>freed</strong> groups are objects collected in between.</p>`;
  const actions = data.live
    ? `<p>${actionButton("/garbage/baseline", "Take the baseline", token)} ${
      data.baseline === null ? "" : actionButton("/garbage/check", "Check now", token)
    }</p>`
    : "";
  if (data.error !== null) {
    return `${explain}${actions}<p class="error-page">${h(data.error)}</p>`;
  }
  if (data.baseline === null) return `${explain}${actions}<p>No baseline yet.</p>`;
  if (data.check === null) {
    return `${explain}${actions}<p>Baseline: ${
      snapshotLine(data.baseline)
    }</p><p>Not checked yet: run the code under study, then check.</p>`;
  }
  const list = data.components.length === 0
    ? "<p>No reference cycles detected.</p>"
    : `<p>${data.components.length} groups with reference cycles:</p>${
      componentTable(data.components)
    }`;
  const offCycles =
    `<p class="note">Also freed, on no cycle: ${data.freedOffCycles.objects} objects, ${
      bytes(data.freedOffCycles.size)
    }.</p>`;
  return `${explain}${actions}<p>Baseline: ${snapshotLine(data.baseline)}<br>Check: ${
    snapshotLine(data.check)
  }</p>${list}${offCycles}`;
}

/** `/insights`: where the current snapshot's memory is wasted. */
export function insightsPage(data: InsightsData): string {
  const found = data.insights;
  if (found === null) {
    return `<p>No snapshot yet: take one on the <a href="/summary">memory summary</a> page.</p>`;
  }
  const idLinks = (ids: readonly number[]) =>
    ids.slice(0, 3).map((id) => `<a href="/refs?id=${id}">@${id}</a>`).join(" ");
  const holders = (list: readonly Holder[]) =>
    list.map(({ holder, objects }) => `${h(holder)} × ${objects}`).join("<br>");
  const section = <T>(
    title: string,
    insight: Insight<T>,
    header: readonly string[],
    row: (item: T) => string[],
  ) => {
    const table = insight.items.length === 0
      ? "<p>None found.</p>"
      : `<table><thead><tr>${
        header.map((cell) => `<th>${cell}</th>`).join("")
      }</tr></thead><tbody>${
        insight.items.map((item) =>
          `<tr>${row(item).map((cell) => `<td>${cell}</td>`).join("")}</tr>`
        )
          .join("")
      }</tbody></table>${more(insight.items.length, insight.count, "findings")}`;
    return `<h2>${h(title)}</h2><p class="note">${h(insight.explanation)}</p>${table}`;
  };
  const {
    duplicatedStrings,
    emptyCollections,
    oversizedArrays,
    sparseArrays,
    staleCollections,
    objectShapes,
    closureScopes,
    globals,
  } = found;
  return `<p>${snapshotLine(data.snapshot!)} Counted: what the program made and holds.
Over three or more snapshots, the <a href="/summary">summary</a> lists the types that grow at every step, and <code>heapler insights a b c</code> the shapes and collections too.</p>
<h2>What keeps the memory alive</h2>
<p class="note">The largest owners, by the memory each alone keeps alive; inside each, the largest parts it holds. Hover a box for its id.</p>
<figure class="treemap">${data.treemap ?? ""}</figure>
${
    section(
      `Duplicated strings: ${bytes(duplicatedStrings.bytes)} to save`,
      duplicatedStrings,
      ["Value", "Copies", "Size", "To save", "Held by", "Objects"],
      (item) => [
        `<code>${h(JSON.stringify(item.value.slice(0, 80)))}</code>`,
        String(item.copies),
        bytes(item.bytes),
        bytes(item.wasted),
        holders(item.holders),
        idLinks(item.ids),
      ],
    )
  }${
    section(
      `Empty collections: ${bytes(emptyCollections.bytes)}`,
      emptyCollections,
      ["Kind", "Empty", "Size", "Held by", "Objects"],
      (
        item,
      ) => [
        h(item.kind),
        String(item.count),
        bytes(item.bytes),
        holders(item.holders),
        idLinks(item.ids),
      ],
    )
  }${
    section(
      `Oversized arrays: ${bytes(oversizedArrays.bytes)} unused`,
      oversizedArrays,
      ["Array", "Slots", "Used", "Unused", "Held by"],
      (item) => [
        idLinks([item.id]),
        String(item.capacity),
        String(item.used),
        bytes(item.spare),
        holders(item.holders),
      ],
    )
  }${
    section(
      `Sparse arrays: ${bytes(sparseArrays.bytes)} beyond a list`,
      sparseArrays,
      ["Array", "Elements", "Last index", "Table", "Beyond a list", "Held by"],
      (item) => [
        idLinks([item.id]),
        String(item.elements),
        String(item.last),
        bytes(item.storage),
        bytes(item.spare),
        holders(item.holders),
      ],
    )
  }${
    section(
      `Stale collections: ${bytes(staleCollections.bytes)} retained by detached entries`,
      staleCollections,
      ["Collection", "Kind", "Detached", "Of entries", "Retained", "Held by"],
      (item) => [
        idLinks([item.id]),
        h(item.kind),
        String(item.detached),
        String(item.entries),
        bytes(item.retained),
        holders(item.holders),
      ],
    )
  }${
    section(
      `Object shapes: ${bytes(objectShapes.bytes)} a class would save`,
      objectShapes,
      ["Shape", "Objects", "Size", "A class saves", "Held by", "Objects"],
      (item) => [
        `<code>${h(item.name)}</code>`,
        String(item.count),
        bytes(item.bytes),
        bytes(item.saving),
        holders(item.holders),
        idLinks(item.ids),
      ],
    )
  }${
    section(
      "Closure scopes",
      closureScopes,
      ["Scope", "Retained", "Variables", "Kept by", "Script"],
      (item) => [
        idLinks([item.id]),
        bytes(item.retained),
        h(item.variables.slice(0, 12).join(", ")),
        `${h(item.functions.join(", "))}${
          item.closures > item.functions.length ? ` (${item.closures} functions)` : ""
        }`,
        h(item.script ?? ""),
      ],
    )
  }${
    section(
      `Global variables: ${bytes(globals.bytes)} retained`,
      globals,
      ["Name", "Type", "Retained", "Object"],
      (
        item,
      ) => [`<code>${h(item.name)}</code>`, h(item.type), bytes(item.retained), idLinks([item.id])],
    )
  }`;
}

/** `/garbage/<index>`: one group's objects and its graphs. */
export function componentPage(
  row: ComponentRow,
  objects: readonly GarbageObject[],
  graphs: { full: string; reduced: string },
): string {
  const rows = objects.map((object) =>
    `<tr><td><a href="/refs/${object.id}">@${object.id}</a></td><td class="n" data-value="${object.selfSize}">${
      bytes(object.selfSize)
    }</td><td>${h(object.className)}</td><td><code>${
      h(object.representation.slice(0, 80))
    }</code></td></tr>`
  ).join("");
  return `<p>${row.objects} objects, ${row.inCycles} on cycles, ${
    bytes(row.size)
  } (${row.kind}).</p>
<table class="sortable"><thead><tr><th>Id</th><th>Size</th><th>Type</th><th>Representation</th></tr></thead><tbody>${rows}</tbody></table>
<h2>Reference graph</h2><p class="note"><a href="/garbage/graph/${row.index}">as SVG</a>, <a href="/garbage/dot/${row.index}">as DOT</a></p><div class="graph">${graphs.full}</div>
<h2>Reduced reference graph (cycles only)</h2><p class="note"><a href="/garbage/graph/${row.index}?reduce=1">as SVG</a>, <a href="/garbage/dot/${row.index}?reduce=1">as DOT</a></p><div class="graph">${graphs.reduced}</div>`;
}

/** The tracked-classes page without a tracker: how to give one (Pympler issue #147). */
const NO_TRACKER =
  `<p>No objects are tracked: this server was started without a class tracker or its statistics.</p>
<p>Pass a <code>ClassTracker</code> to see live data, or statistics loaded from a dump:</p>
<pre class="sample"><code>import { ClassTracker } from "heapler/classtracker";
import { startInBackground } from "heapler/web";

const tracker = new ClassTracker();
const Order = tracker.trackClass(class Order { /* ... */ });
tracker.startPeriodicSnapshots({ interval: 5 });

const profiler = await startInBackground({ tracker });
console.log("memory profile at", profiler.url);</code></pre>
<p>From the command line: <code>heapler web --stats classtracker.json</code>.</p>`;

/** `/tracker`: memory over time by class, and the snapshots. */
export function trackerPage(data: TrackerData, overview: string, token: string): string {
  if (data.source === null) return NO_TRACKER;
  const take = data.live
    ? `<p>${actionButton("/tracker/snapshot", "Take a tracker snapshot", token)}</p>`
    : "";
  const classes = data.classes.map((row) =>
    `<tr><td><a href="/tracker/class/${encodeURIComponent(row.name)}">${
      h(row.name)
    }</a></td><td class="n">${row.instances}</td><td class="n">${row.alive}</td></tr>`
  ).join("");
  return `${take}<h2>Tracked classes</h2>
<table class="sortable"><thead><tr><th>Class</th><th>Instances</th><th>Alive</th></tr></thead><tbody>${classes}</tbody></table>
${overview}`;
}

/** `/tracker/class/<name>`: one class's instances. */
export function trackerClassPage(data: TrackerData["classes"][number], section: string): string {
  return `<p>${data.instances} instance${data.instances === 1 ? "" : "s"} of ${
    h(data.name)
  } were registered, ${data.alive} alive. The average size is ${
    bytes(data.averageSize)
  }, the minimal size is ${bytes(data.minSize)}, the maximum size is ${bytes(data.maxSize)}.</p>
${section}`;
}

function requestRow(record: RequestRecord): string {
  const delta = (before: number | null, after: number | null) =>
    before === null || after === null ? "unknown" : signedBytes(after - before);
  const created = Object.entries(record.created).map(([name, count]) => `${h(name)} ${count}`)
    .join(", ");
  // The time of day on the row (one line), the whole date and time on hover.
  const started = new Date(record.start).toISOString();
  return `<tr><td class="n">${record.id}</td><td class="n" title="${h(started)}">${
    h(started.slice(11, 23))
  }</td><td>${h(record.method)} <code>${
    h(record.path.slice(0, 120))
  }</code></td><td class="n">${record.status}</td><td class="n" data-value="${record.duration}">${
    record.duration.toFixed(1)
  } ms</td><td class="n">${bytes(record.rssAfter)}</td><td class="n">${
    delta(record.rssBefore, record.rssAfter)
  }</td><td class="n">${
    delta(record.heapBefore, record.heapAfter)
  }</td><td>${created}</td><td class="n">${
    record.overlapping === 0 ? "" : `${record.overlapping} (approximate)`
  }</td></tr>`;
}

/** `/requests`: the memory of the latest requests. */
export function requestsPage(data: RequestsData): string {
  if (!data.enabled) {
    return `<p>No requests are measured: pass a <code>MemoryMiddleware</code> to the profiler.</p>
<pre class="sample"><code>import { MemoryMiddleware, startInBackground } from "heapler/web";

const memory = new MemoryMiddleware({ tracker, serverTiming: true });
Deno.serve(memory.wrap(handler));              // or Bun.serve({ fetch: memory.wrap(handler) })
// http.createServer(memory.wrapNode(listener)); app.use(memory.hono);
await startInBackground({ requests: memory, tracker });</code></pre>`;
  }
  const rows = data.records.map(requestRow).join("");
  return `<p>The latest ${data.records.length} requests (up to ${data.limit}), newest first.${
    data.tracksClasses ? "" : " Pass a tracker to the middleware to count instances made."
  }</p>
<p class="note">Memory figures are the whole process's. Requests that overlapped another one (the last
column) share their deltas with it: those figures are approximate. For exact figures, send one request at a time.</p>
<table class="sortable"><thead><tr><th>#</th><th>Started (UTC)</th><th>Request</th><th>Status</th><th>Time</th><th>rss after</th><th>rss change</th><th>heap change</th><th>Instances made</th><th>Overlapped</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** `/help`: what each page and endpoint does. */
export function helpPage(): string {
  return `<p>heapler measures the memory of this running program. Each page has a JSON twin under
<code>/api</code> for scripts.</p>
<table><thead><tr><th>Page</th><th>JSON</th><th>Shows</th></tr></thead><tbody>
<tr><td><a href="/">/</a></td><td><a href="/api/process">/api/process</a></td><td>process memory, with a live chart</td></tr>
<tr><td><a href="/process">/process</a></td><td><a href="/api/process">/api/process</a></td><td>every process figure</td></tr>
<tr><td><a href="/summary">/summary</a></td><td><a href="/api/summary">/api/summary</a></td><td>objects by type in the latest snapshot, and the change since the one before</td></tr>
<tr><td>/summary/type/<em>type</em></td><td>/api/summary/type/<em>type</em></td><td>the largest objects of a type</td></tr>
<tr><td>/refs/<em>id</em></td><td>/api/refs/<em>id</em>?offset=&amp;limit=</td><td>who holds an object, expanded level by level</td></tr>
<tr><td>/graph/<em>id</em>?depth=&amp;reduce=1</td><td>/api/graph/<em>id</em></td><td>the reference graph around an object</td></tr>
<tr><td><a href="/tracker">/tracker</a></td><td><a href="/api/tracker">/api/tracker</a></td><td>tracked classes over time</td></tr>
<tr><td>/tracker/class/<em>name</em></td><td>/api/tracker/class/<em>name</em></td><td>one class's instances</td></tr>
<tr><td><a href="/insights">/insights</a></td><td><a href="/api/insights">/api/insights</a></td><td>wasted memory: duplicated strings, empty collections, object shapes, closure scopes, globals</td></tr>
<tr><td><a href="/garbage">/garbage</a></td><td><a href="/api/garbage">/api/garbage</a></td><td>cycles made and objects freed since a baseline</td></tr>
<tr><td>/garbage/<em>n</em></td><td>/api/garbage/<em>n</em></td><td>one group, with its graphs (/garbage/graph/<em>n</em>?reduce=1 as SVG, /garbage/dot/<em>n</em> as DOT)</td></tr>
<tr><td><a href="/requests">/requests</a></td><td><a href="/api/requests">/api/requests</a></td><td>memory per request</td></tr>
</tbody></table>
<h2>Actions</h2>
<p>Taking a snapshot (<code>POST /summary/snapshot</code>), the garbage baseline and check
(<code>POST /garbage/baseline</code>, <code>POST /garbage/check</code>) and a tracker snapshot
(<code>POST /tracker/snapshot</code>) change state: they are POST requests carrying the server's
token (form field <code>token</code> or header <code>x-heapler-token</code>). The buttons do this for you.</p>
<h2>Security</h2>
<p>The server listens on the loopback address unless told otherwise, and answers only requests whose
<code>Host</code> is its own. Bound to another address it asks for the token on every page (the URL it
printed carries it). No page runs code or reads a file named in a request.</p>`;
}

/** An error page's body. */
export function errorBody(message: string): string {
  return `<p class="error-page">${h(message)}</p>`;
}
