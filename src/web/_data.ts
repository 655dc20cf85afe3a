/**
 * What the front end shows, as data: the server's state (held by heapler, out of the program's
 * sight) and one function per page that builds the JSON its `/api` twin returns.
 *
 * @module
 */
import { type GraphEdge, type GraphNode, ReferenceGraph } from "../refgraph/mod.ts";
import { type ClassTracker, HtmlStats, type Stats } from "../classtracker/mod.ts";
import type { HeapSnapshot } from "../heap/mod.ts";
import { heaplerOwned, type HeaplerSlot, snapshotProgram } from "../heap/internal.ts";
import { getDiff, type SummaryRow, sweep } from "../summary/mod.ts";
import {
  type GrowingGroup,
  growingTypes,
  type Insight,
  type Insights,
  insights,
  ownersTreemap,
} from "../insights/mod.ts";
import { type NodeSummary, summaryRowsOfNodes } from "../summary/internal.ts";
import { type ProcessMemoryField, ProcessMemoryInfo } from "../process/mod.ts";
import { type NodeRecord } from "../refbrowser/mod.ts";
import { defaultStrFunc, referrerRecords } from "../refbrowser/internal.ts";
import { detectRuntime, type RuntimeInfo } from "../runtime/mod.ts";
import type { MemoryMiddleware, RequestRecord } from "./middleware.ts";
import { type Component, type ComponentRow, garbageGroups } from "./_garbage.ts";

/** A snapshot the pages refer to. */
export interface SnapshotInfo {
  /** 1 for the first snapshot this server took or loaded, then 2, 3… */
  number: number;
  /** When, as an ISO date (files: when loaded). */
  takenAt: string;
  /** How many nodes it has. */
  nodes: number;
  /** `the running program`, or the file's name. */
  source: string;
}

/** A snapshot, and what the pages need of it. */
export interface Taken {
  info: SnapshotInfo;
  snapshot: HeapSnapshot;
  summary: NodeSummary;
  /** The summary's rows as JSON, largest first. */
  typeRows: TypeRow[];
}

/** The server's state: held under heapler's holder, so snapshots do not count it. */
export interface WebState {
  /** The current snapshot. */
  current: Taken | undefined;
  /** The rows of the snapshots made current: what the diff and the growth need. */
  history: SummaryHistory;
  /** The change from the previous snapshot to the current one, as JSON rows. */
  diff: TypeRow[] | null;
  serial: number;
  /** The long task running (`Taking a snapshot`), and bytes read so far. */
  progress: { busy: string | null; bytesRead: number };
  /** The garbage baseline and the last check. */
  baseline: Taken | undefined;
  check: Taken | undefined;
  components: Component[];
  /** The objects freed since the baseline that were on no cycle. */
  freedOffCycles: { objects: number; size: number };
  garbageError: string | null;
  /** Whether snapshots come from the running program (false: from files). */
  live: boolean;
}

/** What the data functions read besides the state. */
export interface Sources {
  tracker: ClassTracker | undefined;
  stats: Stats | undefined;
  requests: MemoryMiddleware | undefined;
}

/**
 * A request the front end refuses, answered with its status and message: 400 malformed, 403 without
 * the token, 404 nothing there, 409 not now (or not on files), 413 a body too large.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HttpError } from "./_data.ts";
 * assert.equal(new HttpError(404, "No garbage group 3").status, 404);
 * ```
 */
export class HttpError extends Error {
  override readonly name = "HttpError";

  /**
   * @param status The HTTP status of the answer.
   * @param message What the answer says.
   */
  constructor(readonly status: 400 | 403 | 404 | 409 | 413, message: string) {
    super(message);
  }
}

/** `/api/process`. */
export interface ProcessData {
  runtime: RuntimeInfo;
  /** Milliseconds since the epoch. */
  time: number;
  memory: Record<ProcessMemoryField, number | null> & {
    pid: number;
    pagesize: number | null;
    available: boolean;
    unknown: ProcessMemoryField[];
    reason: string | null;
  };
  osSpecific: [string, string][];
}

/** The process's memory now. */
export function processData(): ProcessData {
  const info = new ProcessMemoryInfo();
  return {
    runtime: detectRuntime(),
    time: Date.now(),
    memory: info.toJSON() as unknown as ProcessData["memory"],
    osSpecific: info.osSpecific,
  };
}

/** A summary row as JSON. */
export interface TypeRow {
  type: string;
  count: number;
  size: number;
}

/** `/api/summary`. */
export interface SummaryData {
  live: boolean;
  /** Whether only the program's objects are counted (live) or all of a file's. */
  programOnly: boolean;
  snapshot: SnapshotInfo | null;
  previous: SnapshotInfo | null;
  /** Largest first, at most `limit`. */
  rows: TypeRow[];
  /** How many types the snapshot has in all. */
  types: number;
  /** The change since the previous snapshot, largest change first, at most `limit`; null with one snapshot. */
  diff: TypeRow[] | null;
  /** How many types of the diff changed in all. */
  changed: number;
  /**
   * The types whose count grew from every snapshot to the next, over the snapshots of `growth.of`
   * (at most {@linkcode GROWTH_HISTORY}), at most `limit`; null before three snapshots.
   */
  growth: (Insight<GrowingGroup> & { of: number[] }) | null;
  /** The most rows listed in each table. */
  limit: number;
}

const rowsAsJson = (rows: readonly SummaryRow[]): TypeRow[] =>
  [...rows].sort((a, b) => Math.abs(b[2]) - Math.abs(a[2]) || a[0].localeCompare(b[0]))
    .map(([type, count, size]) => ({ type, count, size }));

/** How many snapshots' rows the front end keeps for the growth over them. */
export const GROWTH_HISTORY = 20;

/**
 * The summaries of the last {@linkcode GROWTH_HISTORY} snapshots made current, oldest first, kept
 * small: each type's name once for all of them, and each snapshot's figures in two typed arrays.
 * Kept as rows, every snapshot's type names and row arrays (measured: 18,000 objects in a Node
 * process) would stay alive and be in every later snapshot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SummaryHistory } from "./_data.ts";
 * const history = new SummaryHistory();
 * const info = { number: 1, takenAt: "", nodes: 1, source: "" };
 * history.push(info, [["Order", 2, 64]]);
 * history.push({ ...info, number: 2 }, [["Cache", 1, 16]]);
 * assert.deepEqual(history.rows(0), [["Order", 2, 64]]);
 * assert.deepEqual(history.rows(1), [["Cache", 1, 16]]);
 * ```
 */
export class SummaryHistory {
  readonly #names: string[] = [];
  readonly #indexOf = new Map<string, number>();
  readonly #entries: { info: SnapshotInfo; counts: Float64Array; sizes: Float64Array }[] = [];

  /** How many snapshots it holds. */
  get length(): number {
    return this.#entries.length;
  }

  /** Adds the newest snapshot's summary, dropping the oldest beyond {@linkcode GROWTH_HISTORY}. */
  push(info: SnapshotInfo, rows: readonly SummaryRow[]): void {
    for (const [type] of rows) {
      if (!this.#indexOf.has(type)) this.#indexOf.set(type, this.#names.push(type) - 1);
    }
    const counts = new Float64Array(this.#names.length).fill(NaN);
    const sizes = new Float64Array(this.#names.length);
    for (const [type, count, size] of rows) {
      const index = this.#indexOf.get(type)!;
      counts[index] = count;
      sizes[index] = size;
    }
    this.#entries.push({ info, counts, sizes });
    this.#entries.splice(0, this.#entries.length - GROWTH_HISTORY);
  }

  /** The info of the snapshot at `index` (negative counts from the newest). */
  info(index: number): SnapshotInfo | undefined {
    return this.#entries.at(index)?.info;
  }

  /** The rows of the snapshot at `index` (negative counts from the newest). */
  rows(index: number): SummaryRow[] {
    const entry = this.#entries.at(index);
    if (entry === undefined) return [];
    const rows: SummaryRow[] = [];
    entry.counts.forEach((count, type) => {
      if (!Number.isNaN(count)) rows.push([this.#names[type]!, count, entry.sizes[type]!]);
    });
    return rows;
  }
}

/** The summary of the current snapshot, its diff and the growth, each table cut at `limit` rows. */
export function summaryData(state: WebState, limit: number): SummaryData {
  const { current, history } = state;
  const rows = current?.typeRows ?? [];
  const diff = state.diff;
  const kept = Array.from({ length: history.length }, (_, index) => index);
  const growth = current !== undefined && history.length >= 3
    ? {
      ...growingTypes(kept.map((index) => history.rows(index)), { limit }),
      of: kept.map((index) => history.info(index)!.number),
    }
    : null;
  return {
    live: state.live,
    programOnly: state.live,
    snapshot: current?.info ?? null,
    previous: current === undefined ? null : history.info(-2) ?? null,
    rows: rows.slice(0, limit),
    types: rows.length,
    diff: diff?.slice(0, limit) ?? null,
    changed: diff?.length ?? 0,
    growth,
    limit,
  };
}

/** The insights page's data. */
export interface InsightsData {
  live: boolean;
  snapshot: SnapshotInfo | null;
  /** What the current snapshot wastes; null before the first snapshot. */
  insights: Insights | null;
  /** The largest owners as a treemap (SVG); null before the first snapshot. */
  treemap: string | null;
  /** The most findings listed per insight. */
  limit: number;
}

const insightsOf = new WeakMap<HeapSnapshot, Map<number, Insights>>();
const treemapOf = new WeakMap<HeapSnapshot, string>();

/** The insights of the current snapshot and its treemap, computed once per snapshot and limit. */
export function insightsData(state: WebState, limit: number): InsightsData {
  const snapshot = state.current?.snapshot;
  let found: Insights | null = null;
  let treemap: string | null = null;
  if (snapshot !== undefined) {
    let byLimit = insightsOf.get(snapshot);
    if (byLimit === undefined) insightsOf.set(snapshot, byLimit = new Map());
    found = byLimit.get(limit) ?? null;
    if (found === null) byLimit.set(limit, found = insights(snapshot, { limit }));
    treemap = treemapOf.get(snapshot) ?? null;
    if (treemap === null) {
      treemapOf.set(snapshot, treemap = ownersTreemap(snapshot, { height: 480 }));
    }
  }
  return {
    live: state.live,
    snapshot: state.current?.info ?? null,
    insights: found,
    treemap,
    limit,
  };
}

/** Summarizes a snapshot as the pages count it. */
export function taken(
  state: WebState,
  snapshot: HeapSnapshot,
  source: string,
  takenAt: Date = new Date(),
): Taken {
  const summary = summaryRowsOfNodes(snapshot, { programOnly: state.live });
  return {
    info: {
      number: ++state.serial,
      takenAt: takenAt.toISOString(),
      nodes: snapshot.nodeCount,
      source,
    },
    snapshot,
    summary,
    typeRows: rowsAsJson(summary.rows),
  };
}

/**
 * Takes a snapshot of the running program, reporting progress in the state. The state is reached
 * through the slot only: a frame on the stack holding it during the snapshot would make it the
 * program's. `letGo` first drops the snapshots the new one replaces: held, they would be in it
 * (each holds hundreds of thousands of parsed strings) and the process would hold both at once
 * (measured on a 100,000-record program: rss 650 MB after 8 web snapshots, 1,050 MB holding them).
 */
export async function takeSnapshot(
  slot: HeaplerSlot<WebState>,
  task: string,
  letGo: (state: WebState) => void,
): Promise<Taken> {
  beginTask(slot, task);
  try {
    letGo(slot.get());
    await null; // the callers suspend: their frames are heapler's
    const snapshot = await snapshotProgram({
      onProgress: (bytesRead) => progressed(slot, bytesRead),
    });
    return taken(slot.get(), snapshot, "the running program");
  } finally {
    endTask(slot);
  }
}

function beginTask(slot: HeaplerSlot<WebState>, task: string): void {
  const state = slot.get();
  if (!state.live) throw new HttpError(409, "Cannot take a snapshot: this server browses files");
  if (state.progress.busy !== null) {
    throw new HttpError(409, `Cannot take a snapshot now: ${state.progress.busy} is running`);
  }
  state.progress = { busy: task, bytesRead: 0 };
}

function progressed(slot: HeaplerSlot<WebState>, bytesRead: number): void {
  slot.get().progress.bytesRead = bytesRead;
}

function endTask(slot: HeaplerSlot<WebState>): void {
  slot.get().progress = { busy: null, bytesRead: 0 };
}

/** Makes a snapshot the current one, its rows the newest of the history. */
export function makeCurrent(state: WebState, next: Taken): void {
  const before = state.history.length === 0 ? undefined : state.history.rows(-1);
  state.current = next;
  state.history.push(next.info, next.summary.rows);
  state.diff = before === undefined ? null : rowsAsJson(sweep(getDiff(before, next.summary.rows)));
}

/** Lets the current snapshot go: the history keeps what the next diff needs, its rows. */
export function releaseCurrent(state: WebState): void {
  state.current = undefined;
}

/** Lets the garbage check go, and with `baseline` the baseline too. */
export function releaseGarbage(state: WebState, baseline: boolean): void {
  if (baseline) state.baseline = undefined;
  state.check = undefined;
  state.components = [];
}

function currentSnapshot(state: WebState): Taken {
  if (state.current === undefined) {
    throw new HttpError(404, "No snapshot yet: take one on the memory summary page");
  }
  return state.current;
}

/** `/api/summary/type/<type>`. */
export interface TypeData {
  snapshot: SnapshotInfo;
  type: string;
  count: number;
  size: number;
  limit: number;
  /** The largest objects of the type. */
  instances: {
    id: number;
    className: string;
    name: string;
    selfSize: number;
    retainedSize: number;
  }[];
}

/** The largest objects of one summary type. */
export function typeData(state: WebState, type: string, limit: number): TypeData {
  const current = currentSnapshot(state);
  const { rows, rowOf } = current.summary;
  const row = rows.findIndex(([name]) => name === type);
  if (row < 0) {
    throw new HttpError(404, `No objects of type ${type} in snapshot ${current.info.number}`);
  }
  const { snapshot } = current;
  const sizes = state.live ? snapshot.raw.selfSizes : snapshot.selfSizes;
  const members: number[] = [];
  rowOf.forEach((of, node) => {
    if (of === row) members.push(node);
  });
  members.sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const retained = snapshot.retainedSizes;
  return {
    snapshot: current.info,
    type,
    count: rows[row]![1],
    size: rows[row]![2],
    limit,
    instances: members.slice(0, limit).map((node) => ({
      id: snapshot.idOf(node),
      className: snapshot.classNameOf(node),
      name: snapshot.nameOf(node),
      selfSize: sizes[node]!,
      retainedSize: retained[node]!,
    })),
  };
}

/** A referrer as the browser shows it: the record and its text. */
export type RefRecord = NodeRecord & { label: string };

/** `/api/refs/<id>`. */
export interface RefsData {
  snapshot: SnapshotInfo;
  node: RefRecord;
  /** How the root reaches the node (DevTools' shortest retaining path). */
  path: string;
  referrers: RefRecord[];
  /** How many referrers there are in all. */
  total: number;
  offset: number;
  limit: number;
}

function ordinalOf(current: Taken, id: number): number {
  const ordinal = Number.isSafeInteger(id) ? current.snapshot.ordinalOf(id) : -1;
  if (ordinal < 0) throw new HttpError(404, `No object @${id} in snapshot ${current.info.number}`);
  return ordinal;
}

/** One level of referrers of an object. */
export function refsData(state: WebState, id: number, offset: number, limit: number): RefsData {
  const current = currentSnapshot(state);
  const ordinal = ordinalOf(current, id);
  const all = referrerRecords(current.snapshot, ordinal, heaplerOwned(current.snapshot));
  const self: NodeRecord = { ...current.snapshot.node(ordinal).toObject(), edge: "" };
  const labelled = (record: NodeRecord): RefRecord => ({
    ...record,
    label: defaultStrFunc(record),
  });
  return {
    snapshot: current.info,
    node: labelled(self),
    path: current.snapshot.describePath(ordinal),
    referrers: all.slice(offset, offset + limit).map(labelled),
    total: all.length,
    offset,
    limit,
  };
}

/** `/api/graph/<id>`. */
export interface GraphData {
  snapshot: SnapshotInfo;
  id: number;
  depth: number;
  reduce: boolean;
  nodes: readonly GraphNode[];
  edges: readonly GraphEdge[];
}

/** The reference graph around an object. */
export function graphData(state: WebState, id: number, depth: number, reduce: boolean): GraphData {
  const current = currentSnapshot(state);
  ordinalOf(current, id);
  const graph = ReferenceGraph.fromSnapshot(current.snapshot, [id], {
    depth,
    reduce,
    maxNodes: 150,
  });
  return { snapshot: current.info, id, depth, reduce, nodes: graph.nodes, edges: graph.edges };
}

/** `/api/garbage`. */
export interface GarbageData {
  live: boolean;
  baseline: SnapshotInfo | null;
  check: SnapshotInfo | null;
  /** Why there are no groups (e.g. Bun's unstable ids), or null. */
  error: string | null;
  /** The groups with a cycle: live ones first, then freed ones, each largest first. */
  components: ComponentRow[];
  /** The objects freed that were on no cycle, counted. */
  freedOffCycles: { objects: number; size: number };
}

/** The garbage groups of the last check. */
export function garbageData(state: WebState): GarbageData {
  return {
    live: state.live,
    baseline: state.baseline?.info ?? null,
    check: state.check?.info ?? null,
    error: state.garbageError,
    components: state.components.map((component) => component.row),
    freedOffCycles: state.freedOffCycles,
  };
}

/**
 * Compares the baseline with a check (see {@linkcode garbageGroups}) and keeps the groups for the
 * garbage pages.
 */
export function checkGarbage(state: WebState, check: Taken): void {
  state.check = check;
  state.components = [];
  state.freedOffCycles = { objects: 0, size: 0 };
  state.garbageError = null;
  if (state.baseline === undefined) return;
  try {
    Object.assign(state, garbageGroups(state.baseline.snapshot, check.snapshot));
  } catch (error) {
    state.garbageError = error instanceof Error ? error.message : String(error);
  }
}

/** One garbage group. */
export function componentOf(state: WebState, index: number): Component {
  const component = Number.isSafeInteger(index) ? state.components[index] : undefined;
  if (component === undefined) throw new HttpError(404, `No garbage group ${index}`);
  return component;
}

/** `/api/tracker`. */
export interface TrackerData {
  /** Where the data comes from: a live tracker, loaded statistics, or nothing. */
  source: "tracker" | "stats" | null;
  live: boolean;
  classes: {
    name: string;
    instances: number;
    alive: number;
    averageSize: number;
    minSize: number;
    maxSize: number;
  }[];
  snapshots: {
    label: string;
    timestamp: number;
    rss: number | null;
    trackedTotal: number;
    overhead: number;
    classes: Record<string, { active: number; sum: number; avg: number; pct: number }>;
  }[];
}

/** The tracker's statistics as an HTML report, or undefined without a tracker or statistics. */
export function trackerStats(sources: Sources): HtmlStats | undefined {
  if (sources.tracker !== undefined) return new HtmlStats({ tracker: sources.tracker });
  if (sources.stats === undefined) return undefined;
  return new HtmlStats({ stats: sources.stats });
}

/** The tracked classes and the snapshots. */
export function trackerData(sources: Sources, stats: HtmlStats | undefined): TrackerData {
  if (stats === undefined) return { source: null, live: false, classes: [], snapshots: [] };
  const classes = [...stats.index].map(([name, objects]) => {
    const sizes = objects.map((object) => object.maxSize()).filter((size) => size > 0);
    return {
      name,
      instances: objects.length,
      alive: objects.filter((object) => object.death === undefined).length,
      averageSize: sizes.length === 0 ? 0 : sizes.reduce((a, b) => a + b, 0) / sizes.length,
      minSize: sizes.length === 0 ? 0 : Math.min(...sizes),
      maxSize: sizes.length === 0 ? 0 : Math.max(...sizes),
    };
  }).sort((a, b) => a.name.localeCompare(b.name));
  return {
    source: sources.tracker === undefined ? "stats" : "tracker",
    live: sources.tracker !== undefined,
    classes,
    snapshots: stats.snapshots.map((snapshot) => ({
      label: snapshot.label,
      timestamp: snapshot.timestamp,
      rss: snapshot.system.rss ?? null,
      trackedTotal: snapshot.trackedTotal,
      overhead: snapshot.overhead,
      classes: Object.fromEntries(
        [...stats.annotateSnapshot(snapshot)].map(([name, row]) => [name, {
          active: row.active,
          sum: row.sum,
          avg: row.avg,
          pct: row.pct,
        }]),
      ),
    })),
  };
}

/** `/api/tracker/class/<name>`: the class's row and its instances. */
export interface TrackerClassData {
  summary: TrackerData["classes"][number];
  instances: {
    id: number;
    repr: string;
    birth: number;
    death: number | null;
    discovered: boolean;
    sizes: number[];
    trace: { function: string; file: string; line: number }[];
  }[];
}

/** One tracked class. */
export function trackerClassData(
  data: TrackerData,
  stats: HtmlStats | undefined,
  name: string,
): TrackerClassData {
  const summary = data.classes.find((row) => row.name === name);
  if (stats === undefined || summary === undefined) {
    throw new HttpError(404, `No tracked class ${name}`);
  }
  return {
    summary,
    instances: stats.index.get(name)!.map((object) => ({
      id: object.id,
      repr: object.repr,
      birth: object.birth,
      death: object.death ?? null,
      discovered: object.discovered,
      sizes: object.samples.map((sample) => sample.sized.size),
      trace: object.trace.map((frame) => ({
        function: frame.function,
        file: frame.file,
        line: frame.line,
      })),
    })),
  };
}

/** `/api/requests`. */
export interface RequestsData {
  enabled: boolean;
  limit: number;
  tracksClasses: boolean;
  records: readonly RequestRecord[];
}

/** The latest requests' memory. */
export function requestsData(sources: Sources): RequestsData {
  const { requests } = sources;
  return {
    enabled: requests !== undefined,
    limit: requests?.limit ?? 0,
    tracksClasses: requests?.tracksClasses ?? false,
    records: requests?.records ?? [],
  };
}
