/**
 * The front end as one fetch-style handler: every page, its JSON twin, the static files, and the
 * security rules (Host check, token, POST for state changes, a strict content security policy).
 *
 * @module
 */
import { RENDER_NODE_LIMIT } from "../dot/mod.ts";
import { ReferenceGraph } from "../refgraph/mod.ts";
import { escapeXml } from "../format/internal.ts";
import type { ClassTracker, Stats } from "../classtracker/mod.ts";
import type { HeapSnapshot } from "../heap/mod.ts";
import { type HeaplerSlot, heaplerSlot } from "../heap/internal.ts";
import type { MemoryMiddleware } from "./middleware.ts";
import { STATIC_FILES } from "./_assets.ts";
import {
  checkGarbage,
  componentOf,
  garbageData,
  graphData,
  HttpError,
  insightsData,
  makeCurrent,
  processData,
  refsData,
  releaseCurrent,
  releaseGarbage,
  requestsData,
  type Sources,
  summaryData,
  SummaryHistory,
  taken,
  takeSnapshot,
  trackerClassData,
  trackerData,
  trackerStats,
  typeData,
  type WebState,
} from "./_data.ts";
import * as pages from "./_pages.ts";

/** Options of {@linkcode createProfilerHandler}. */
export interface ProfilerHandlerOptions {
  /** The address the server is bound to: decides the accepted `Host` and the token rule. @default "127.0.0.1" */
  host?: string;
  /** A live class tracker: the tracked-classes pages show it now and can take its snapshots. */
  tracker?: ClassTracker;
  /** Class tracker statistics (e.g. loaded from a dump), shown when no tracker is given. */
  stats?: Stats;
  /** Requests measured by a {@linkcode MemoryMiddleware}, for the Requests page. */
  requests?: MemoryMiddleware;
  /**
   * Snapshot files to browse instead of the running program, oldest first: the last is the
   * current one, the one before it the base of the diff and of the garbage groups.
   */
  snapshots?: readonly {
    snapshot: HeapSnapshot;
    name: string;
    /** When the snapshot was taken: its file's modification time. @default when it is loaded */
    takenAt?: Date;
  }[];
  /** The access token. @default a random one */
  token?: string;
  /** Ask for the token on every request, not only state changes. @default true unless `host` is loopback */
  requireToken?: boolean;
  /** More host names accepted in the `Host` header. */
  allowedHosts?: readonly string[];
}

/** The front end's handler, and the token its state-changing requests need. */
export interface ProfilerHandler {
  (request: Request): Promise<Response>;
  /** The access token. */
  readonly token: string;
  /** Whether every request needs the token. */
  readonly requireToken: boolean;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);
const WILDCARD = new Set(["0.0.0.0", "::", "[::]"]);
const TOKEN_COOKIE = "heapler_token";

/** Whether an address is the loopback one. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Makes the front end's handler. Tests call it directly; {@linkcode startProfiler} serves it.
 *
 * @param options What to show, and the security settings.
 * @returns The handler.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createProfilerHandler } from "heapler/web";
 * const handler = createProfilerHandler();
 * const response = await handler(new Request("http://127.0.0.1:8090/api/process"));
 * assert(response.status === 200 && (await response.json()).memory.rss > 0);
 * ```
 */
export function createProfilerHandler(options: ProfilerHandlerOptions = {}): ProfilerHandler {
  const host = options.host ?? "127.0.0.1";
  const token = options.token ?? randomToken();
  const requireToken = options.requireToken ?? !isLoopback(host);
  // An IPv6 address comes bracketed in a Host header: `[fe80::1]:8090`.
  const names = [...LOOPBACK, host, ...(options.allowedHosts ?? [])];
  const allowedHosts = new Set(
    names.map((name) => name.includes(":") && !name.startsWith("[") ? `[${name}]` : name)
      .concat(names).map((name) => name.toLowerCase()),
  );
  const anyHost = WILDCARD.has(host);
  const sources: Sources = {
    tracker: options.tracker,
    stats: options.stats,
    requests: options.requests,
  };
  const files = options.snapshots ?? [];
  const banner = files.length === 0
    ? undefined
    : `Browsing ${
      files.map((file) => `<code>${escapeXml(file.name)}</code>`).join(" and ")
    }: the summary, referrers, graphs and garbage come from the file${
      files.length === 1 ? "" : "s"
    }; the process figures are this server's own.`;
  const handler = async (request: Request): Promise<Response> => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      // e.g. Bun's request of an HTTP/1.0 client that sent no Host.
      await discardBody(request);
      return html(errorPage("Bad request: the request has no valid address"), 400);
    }
    const api = url.pathname.startsWith("/api/");
    const fail = (status: number, message: string) =>
      api ? json({ error: message }, status) : html(errorPage(message), status);
    // Browsers always send Host; a direct call (a test, a script) may have only the URL.
    const hostHeader = request.headers.get("host") ?? url.host;
    if (!anyHost && !allowedHosts.has(hostName(hostHeader))) {
      await discardBody(request);
      return fail(403, "This server answers only requests addressed to its own host name");
    }
    const cookie = tokenFromCookie(request.headers.get("cookie"));
    const queryToken = url.searchParams.get("token");
    const visitor = sameToken(cookie, token) || sameToken(queryToken, token);
    if (requireToken && !visitor) {
      await discardBody(request);
      return fail(401, "This server needs its access token: open the address it printed");
    }
    const state = slot.get();
    const layout = (title: string, section: string): pages.Layout => ({
      title,
      section,
      token,
      ...(banner === undefined ? {} : { banner }),
    });
    try {
      const action = ACTIONS.has(url.pathname);
      const allowed = action ? "POST" : "GET, HEAD";
      const response = request.method === "POST"
        ? await post(request, url, slot, sources, token)
        : (request.method === "GET" || request.method === "HEAD") && !action
        ? await get(url, state, sources, layout, token)
        : fail(405, `Method ${request.method} is not allowed here: use ${allowed}`);
      if (response.status === 405) response.headers.set("allow", allowed);
      if (requireToken && sameToken(queryToken, token) && !sameToken(cookie, token)) {
        response.headers.append(
          "set-cookie",
          `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`,
        );
      }
      return response;
    } catch (error) {
      if (error instanceof HttpError) return fail(error.status, error.message);
      return fail(500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const state: WebState = {
    current: undefined,
    history: new SummaryHistory(),
    diff: null,
    serial: 0,
    progress: { busy: null, bytesRead: 0 },
    baseline: undefined,
    check: undefined,
    components: [],
    freedOffCycles: { objects: 0, size: 0 },
    garbageError: null,
    live: files.length === 0,
  };
  const profilerHandler = Object.assign(handler, { token, requireToken });
  const slot = heaplerSlot(profilerHandler, state);
  const loaded = files.map((file) => taken(state, file.snapshot, file.name, file.takenAt));
  for (const next of loaded) makeCurrent(state, next);
  if (loaded.length >= 2) {
    state.baseline = loaded.at(-2);
    checkGarbage(state, loaded.at(-1)!);
  }
  return profilerHandler;
}

/** The most bytes of a state change's form body read: it holds the token, nothing more. */
const FORM_LIMIT = 16 * 1024;

/** Lets go of a body that will not be read, so the runtime does not buffer it. */
async function discardBody(request: Request): Promise<void> {
  await request.body?.cancel().catch(() => {});
}

/**
 * The token a state change carries: its `x-heapler-token` header (the body is then not read), or
 * the `token` field of its form body, read no further than {@linkcode FORM_LIMIT} bytes.
 */
async function sentToken(request: Request): Promise<string | null> {
  const header = request.headers.get("x-heapler-token");
  if (header !== null) {
    await discardBody(request);
    return header;
  }
  const tooLarge = () =>
    new HttpError(
      413,
      `A form posted here holds at most ${FORM_LIMIT} bytes: its token and nothing else`,
    );
  if (Number(request.headers.get("content-length") ?? 0) > FORM_LIMIT) {
    await discardBody(request);
    throw tooLarge();
  }
  const reader = request.body?.getReader();
  if (reader === undefined) return null;
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > FORM_LIMIT) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return new URLSearchParams(new TextDecoder().decode(body)).get("token");
}

/** What a page's handler gets: the path's segments after the section, the query, and the state. */
interface PageRequest {
  /** Asked at `/api/...`: answer JSON. */
  api: boolean;
  /** The path segments after the section: `/refs/12` has `a` = `"12"`. */
  a: string | undefined;
  b: string | undefined;
  query: URLSearchParams;
  state: WebState;
  sources: Sources;
  token: string;
  /** The HTML page of a view, in the layout, with its navigation entry. */
  view(title: string, nav: string, body: string): Response;
}

/** A page: its answer, or undefined for a path it does not have (answered 404). */
type Page = (request: PageRequest) => Response | undefined | Promise<Response | undefined>;

/** The pages by section, the first segment of the path (after `/api`). */
const PAGES: ReadonlyMap<string, Page> = new Map<string, Page>([
  [
    "",
    ({ api, a, view }) =>
      api || a !== undefined ? undefined : view("Overview", "/", pages.overviewPage(processData())),
  ],
  ["process", ({ api, a, view }) => {
    if (a !== undefined) return undefined;
    return api
      ? json(processData())
      : view("Process", "/process", pages.processPage(processData()));
  }],
  ["progress", ({ api, state }) => api ? json(state.progress) : undefined],
  ["summary", summaryPage],
  ["refs", refsPage],
  ["graph", graphPage],
  ["tracker", trackerPage],
  ["insights", ({ api, a, query, state, view }) => {
    if (a !== undefined) return undefined;
    const data = insightsData(state, integer(query, "limit", 20, 1, 1000));
    return api ? json(data) : view("Insights", "/insights", pages.insightsPage(data));
  }],
  ["garbage", garbagePage],
  ["requests", ({ api, a, sources, view }) => {
    if (a !== undefined) return undefined;
    const data = requestsData(sources);
    return api ? json(data) : view("Requests", "/requests", pages.requestsPage(data));
  }],
  [
    "help",
    ({ api, a, view }) =>
      api || a !== undefined ? undefined : view("Help", "/help", pages.helpPage()),
  ],
  ["static", ({ api, a, b }) => {
    const file = a === undefined || b !== undefined || api ? undefined : STATIC_FILES.get(a);
    return file && new Response(file.body, { headers: securityHeaders(file.type) });
  }],
]);

async function get(
  url: URL,
  state: WebState,
  sources: Sources,
  layout: (title: string, section: string) => pages.Layout,
  token: string,
): Promise<Response> {
  const parts = url.pathname.split("/").slice(1).map(decodeSegment);
  const api = parts[0] === "api";
  const [section = "", a, b] = api ? parts.slice(1) : parts;
  const view = (title: string, nav: string, body: string) =>
    html(pages.page(layout(title, nav), body));
  const page = PAGES.get(section);
  const response = await page?.({
    api,
    a,
    b,
    query: url.searchParams,
    state,
    sources,
    token,
    view,
  });
  if (response === undefined) throw new HttpError(404, `No page at ${url.pathname}`);
  return response;
}

function summaryPage({ api, a, b, query, state, token, view }: PageRequest): Response | undefined {
  if (a === undefined) {
    const data = summaryData(state, integer(query, "limit", 300, 1, 1_000_000));
    return api ? json(data) : view("Memory summary", "/summary", pages.summaryPage(data, token));
  }
  if (a !== "type" || b === undefined) return undefined;
  const data = typeData(state, b, integer(query, "limit", 50, 1, 1000));
  return api ? json(data) : view(`Objects of type ${b}`, "/summary", pages.typePage(data));
}

function refsPage({ api, a, b, query, state, view }: PageRequest): Response | undefined {
  if (a === undefined && !api && query.has("id")) {
    return redirect(`/refs/${integerSegment(query.get("id")!.trim().replace(/^@/, ""))}`);
  }
  if (a === undefined || b !== undefined) return undefined;
  const data = refsData(
    state,
    integerSegment(a),
    integer(query, "offset", 0, 0, Number.MAX_SAFE_INTEGER),
    integer(query, "limit", 50, 1, 1000),
  );
  return api ? json(data) : view(`Referrers of @${a}`, "/summary", pages.refsPage(data));
}

async function graphPage(
  { api, a, b, query, state, view }: PageRequest,
): Promise<Response | undefined> {
  if (a === undefined || b !== undefined) return undefined;
  const data = graphData(
    state,
    integerSegment(a),
    integer(query, "depth", 2, 1, 4),
    query.get("reduce") === "1",
  );
  if (api) return json(data);
  const svg = await svgOf(ReferenceGraph.fromParts(data.nodes, data.edges));
  return view(`Reference graph of @${a}`, "/summary", pages.graphPage(data, svg));
}

function trackerPage({ api, a, b, sources, token, view }: PageRequest): Response | undefined {
  const stats = trackerStats(sources);
  const data = trackerData(sources, stats);
  if (a === undefined) {
    if (api) return json(data);
    const overview = stats?.overviewHtml({
      classHref: (name) => `/tracker/class/${encodeURIComponent(name)}`,
    }) ?? "";
    return view("Tracked classes", "/tracker", pages.trackerPage(data, overview, token));
  }
  if (a !== "class" || b === undefined) return undefined;
  if (stats === undefined && !api) return redirect("/tracker");
  const classData = trackerClassData(data, stats, b);
  return api ? json(classData) : view(
    `Class ${b}`,
    "/tracker",
    pages.trackerClassPage(classData.summary, stats!.classHtml(b)),
  );
}

async function garbagePage(
  { api, a, b, query, state, token, view }: PageRequest,
): Promise<Response | undefined> {
  if (a === undefined) {
    const data = garbageData(state);
    return api ? json(data) : view("Garbage", "/garbage", pages.garbagePage(data, token));
  }
  if ((a === "graph" || a === "dot") && b !== undefined && !api) {
    const component = componentOf(state, integerSegment(b));
    const graph = query.get("reduce") === "1" ? component.reduced : component.graph;
    if (a === "dot") {
      return new Response(graph.toDot(), {
        headers: securityHeaders("text/vnd.graphviz; charset=utf-8"),
      });
    }
    return new Response(await drawing(graph), {
      headers: securityHeaders("image/svg+xml; charset=utf-8"),
    });
  }
  if (b !== undefined) return undefined;
  const index = integerSegment(a);
  const component = componentOf(state, index);
  if (api) return json({ ...component.row, members: component.objects });
  const graphs = {
    full: cutNote(component.graph, `/garbage/dot/${index}`) + await drawing(component.graph),
    reduced: component.reduced.nodes.length === 0
      ? "<p>No object of this group lies on a cycle.</p>"
      : cutNote(component.reduced, `/garbage/dot/${index}?reduce=1`) +
        await drawing(component.reduced),
  };
  return view(
    `${component.row.kind === "alive" ? "Live group" : "Freed group"} ${component.row.index}`,
    "/garbage",
    pages.componentPage(component.row, component.objects, graphs),
  );
}

/** A state change: does it and returns the page to go to. */
type Action = (slot: HeaplerSlot<WebState>, sources: Sources) => Promise<string>;

/** The state changes by path: POST only, with the token. */
const ACTIONS: ReadonlyMap<string, Action> = new Map<string, Action>([
  ["/summary/snapshot", async (slot) => {
    makeCurrent(slot.get(), await takeSnapshot(slot, "Taking a snapshot", releaseCurrent));
    return "/summary";
  }],
  ["/garbage/baseline", async (slot) => {
    const baseline = await takeSnapshot(
      slot,
      "Taking the baseline",
      (state) => releaseGarbage(state, true),
    );
    Object.assign(slot.get(), {
      baseline,
      check: undefined,
      components: [],
      freedOffCycles: { objects: 0, size: 0 },
      garbageError: null,
    });
    return "/garbage";
  }],
  ["/garbage/check", async (slot) => {
    if (slot.get().baseline === undefined) throw new HttpError(409, "Take the baseline first");
    checkGarbage(
      slot.get(),
      await takeSnapshot(slot, "Checking", (state) => releaseGarbage(state, false)),
    );
    return "/garbage";
  }],
  ["/tracker/snapshot", async (_slot, sources) => {
    if (sources.tracker === undefined) throw new HttpError(409, "No live tracker to snapshot");
    await sources.tracker.createSnapshot("from the web front end");
    return "/tracker";
  }],
]);

async function post(
  request: Request,
  url: URL,
  slot: HeaplerSlot<WebState>,
  sources: Sources,
  token: string,
): Promise<Response> {
  const sent = await sentToken(request);
  if (!sameToken(sent, token)) {
    throw new HttpError(
      403,
      "A state change needs the server's token (the page's buttons send it)",
    );
  }
  const action = ACTIONS.get(url.pathname);
  if (action === undefined) throw new HttpError(404, `Nothing to do at ${url.pathname}`);
  const location = await action(slot, sources);
  if ((request.headers.get("accept") ?? "").includes("application/json")) {
    return json({ location });
  }
  return redirect(location);
}

/** A graph's SVG, ready to sit inside HTML. */
async function svgOf(graph: ReferenceGraph): Promise<string> {
  return stripProlog(await graph.toSvg());
}

/** The drawings already made, so a group is laid out once however often it is asked for. */
const drawings = new WeakMap<ReferenceGraph, Promise<string>>();

/**
 * A graph's SVG, laid out once and cut to {@linkcode RENDER_NODE_LIMIT} nodes: the layout runs
 * on this thread, and the cut keeps it under a second, so no request waits long behind it.
 */
function drawing(graph: ReferenceGraph): Promise<string> {
  let drawn = drawings.get(graph);
  if (drawn === undefined) {
    drawn = svgOf(graph);
    drawings.set(graph, drawn);
  }
  return drawn;
}

/** Says what a drawing left out, and where the whole graph is. */
function cutNote(graph: ReferenceGraph, dot: string): string {
  return graph.nodes.length <= RENDER_NODE_LIMIT
    ? ""
    : `<p class="note">Drawn: the first ${RENDER_NODE_LIMIT} of ${graph.nodes.length} objects, reached breadth-first (more would take minutes to lay out). The whole graph: <a href="${
      escapeXml(dot)
    }">as DOT</a>.</p>`;
}

/** Graphviz's SVG without the XML declaration and doctype, to inline in HTML. */
function stripProlog(svg: string): string {
  const start = svg.indexOf("<svg");
  return start < 0 ? svg : svg.slice(start);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, `Malformed address segment: ${segment.slice(0, 40)}`);
  }
}

function integerSegment(text: string): number {
  if (!/^\d{1,15}$/.test(text)) {
    throw new HttpError(400, `Not an object id or index: ${text.slice(0, 40)}`);
  }
  return Number(text);
}

function integer(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  if (!/^\d{1,15}$/.test(text)) {
    throw new HttpError(400, `The ${name} is a whole number, not ${text.slice(0, 40)}`);
  }
  return Math.min(max, Math.max(min, Number(text)));
}

/** The host name of a `Host` header, without the port, lower case. */
function hostName(header: string | null): string {
  if (header === null) return "";
  const host = header.trim().toLowerCase();
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}

function tokenFromCookie(header: string | null): string | null {
  for (const part of (header ?? "").split(";")) {
    const [name, value] = part.trim().split("=", 2);
    if (name === TOKEN_COOKIE && value !== undefined) return value;
  }
  return null;
}

/** Compares tokens in time independent of where they differ. */
function sameToken(given: string | null, token: string): boolean {
  if (given === null || given.length !== token.length) return false;
  let difference = 0;
  for (let i = 0; i < token.length; i++) difference |= given.charCodeAt(i) ^ token.charCodeAt(i);
  return difference === 0;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

function securityHeaders(type: string): Headers {
  return new Headers({
    "content-type": type,
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  });
}

function html(body: string, status = 200): Response {
  return new Response(body, { status, headers: securityHeaders("text/html; charset=utf-8") });
}

function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: securityHeaders("application/json; charset=utf-8"),
  });
}

function redirect(location: string): Response {
  const headers = securityHeaders("text/plain; charset=utf-8");
  headers.set("location", location);
  return new Response(null, { status: 303, headers });
}

/** An error page: no token in it, as it may answer someone without one. */
function errorPage(message: string): string {
  return pages.page({ title: "Error", section: "", token: "" }, pages.errorBody(message));
}
