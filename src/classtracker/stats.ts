/**
 * Statistics over what a `ClassTracker` recorded (Pympler's `classtracker_stats`): sorting,
 * per-snapshot annotations, the console report, and dumps in JSON.
 *
 * @module
 */
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { escapeTerminal } from "../format/internal.ts";
import { pp, ppTimestamp, trunc } from "../format/mod.ts";
import { stdout, writeFileAtomic } from "../runtime/internal.ts";
import { type TextStream } from "../runtime/mod.ts";
import { Asized } from "../sizeof/mod.ts";
import { ClassSnapshot, type SizeSample, TrackedObject } from "./tracked_object.ts";

/** What {@linkcode Stats.sortStats} sorts by: sizes descending, the rest ascending. */
export type SortKey = "classname" | "name" | "birth" | "death" | "size" | "tsize" | "repr";

const SORT_KEYS: readonly SortKey[] = [
  "classname",
  "tsize",
  "birth",
  "death",
  "name",
  "repr",
  "size",
];

/** One class at one snapshot (Pympler's `annotate_snapshot` entry). */
export interface ClassAnnotation {
  /** Bytes of its instances sampled at the snapshot. */
  sum: number;
  /** `sum / active`, 0 when none. */
  avg: number;
  /** `sum` as a share of the snapshot's total (the process's resident memory when known), in percent. */
  pct: number;
  /** Instances alive at the snapshot. */
  active: number;
  /** Every instance's sizes merged: referents added up by name (up to a `:`). */
  merged: Asized;
}

/** Raised for a stats dump that cannot be read: not JSON, not a dump, or another version. */
export class StatsFormatError extends Error {
  override readonly name = "StatsFormatError";
}

/** The name and version written into every dump. */
export const STATS_FORMAT = "heapler-classtracker";
/** The dump format this heapler writes and reads. */
export const STATS_VERSION = 1;

/** What statistics read of a live `ClassTracker`. */
export interface TrackerRecords {
  /** Every tracked object, dead ones included. */
  readonly objects: readonly TrackedObject[];
  /** Every snapshot, oldest first. */
  readonly snapshots: readonly ClassSnapshot[];
  /** Stops periodic snapshots, so that a dump is the tracker's last word. */
  stopPeriodicSnapshots(): Promise<void>;
}

/** Options of {@linkcode Stats}. */
export interface StatsOptions {
  /** Read the records of this live tracker (a `ClassTracker`). */
  tracker?: TrackerRecords;
  /** Read the records of other statistics (a loaded dump), to report them another way. */
  stats?: Stats;
  /** Where reports print. @default standard output */
  stream?: TextStream;
}

/**
 * The records of a class tracker, live or loaded from a dump, sorted and annotated.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClassTracker } from "heapler/classtracker";
 * const tracker = new ClassTracker();
 * const Box = tracker.trackClass(class Box { items = [1, 2, 3]; });
 * const boxes = [new Box(), new Box()];
 * await tracker.createSnapshot();
 * const stats = tracker.stats.sortStats("size");
 * assert(stats.sorted.length === 2 && stats.trackedClasses[0] === "Box" && boxes.length === 2);
 * ```
 */
export class Stats {
  /** Every tracked object, dead ones included. */
  objects: TrackedObject[];
  /** Every snapshot, oldest first. */
  snapshots: ClassSnapshot[];
  /** The objects in the order of the last sort. */
  sorted: TrackedObject[];
  /** Where reports print. */
  readonly stream: TextStream;
  readonly #tracker: TrackerRecords | undefined;
  #annotations = new WeakMap<ClassSnapshot, Map<string, ClassAnnotation>>();

  /**
   * @param options The live tracker or the statistics to read (none: empty until `loadStats`),
   *   and the stream.
   */
  constructor(options: StatsOptions = {}) {
    this.#tracker = options.tracker;
    this.stream = options.stream ?? stdout;
    const source = options.tracker ?? options.stats;
    this.objects = [...(source?.objects ?? [])];
    this.snapshots = [...(source?.snapshots ?? [])];
    this.sorted = [...this.objects];
  }

  /** The objects by the name they are tracked under, in registration order. */
  get index(): Map<string, TrackedObject[]> {
    const index = new Map<string, TrackedObject[]>();
    for (const object of this.objects) {
      const list = index.get(object.name);
      if (list === undefined) index.set(object.name, [object]);
      else list.push(object);
    }
    return index;
  }

  /** The names tracked, sorted. */
  get trackedClasses(): string[] {
    return [...this.index.keys()].sort();
  }

  /**
   * Sorts the objects by one or more keys (none: all of them, in Pympler's order); sizes sort
   * descending, the rest ascending. `size` is an object's largest size, `tsize` its size at the
   * snapshot with the largest tracked total.
   *
   * @param keys The keys.
   * @returns This, for chaining.
   * @throws {RangeError} For an unknown key.
   */
  sortStats(...keys: SortKey[]): this {
    for (const key of keys) {
      if (!SORT_KEYS.includes(key)) {
        throw new RangeError(`Unknown sort key "${key}": use one of ${SORT_KEYS.join(", ")}`);
      }
    }
    const order = keys.length > 0 ? keys : SORT_KEYS;
    const largest = this.snapshots.reduce<ClassSnapshot | undefined>(
      (best, snapshot) =>
        best === undefined || snapshot.trackedTotal > best.trackedTotal ? snapshot : best,
      undefined,
    );
    const value = (object: TrackedObject, key: SortKey): number | string => {
      switch (key) {
        case "classname":
          return object.className;
        case "name":
          return object.name;
        case "repr":
          return object.repr;
        case "birth":
          return object.birth;
        case "death":
          return object.death ?? Infinity;
        case "size":
          return -object.maxSize();
        case "tsize":
          return largest === undefined ? 0 : -object.sizeAt(largest.timestamp);
      }
    };
    this.sorted = [...this.objects].sort((a, b) => {
      for (const key of order) {
        const left = value(a, key);
        const right = value(b, key);
        if (left < right) return -1;
        if (left > right) return 1;
      }
      return 0;
    });
    return this;
  }

  /** Reverses the order of the last sort. @returns This, for chaining. */
  reverseOrder(): this {
    this.sorted.reverse();
    return this;
  }

  /**
   * Per class at one snapshot: bytes, live instances, average, share of the total and the merged
   * referent sizes. Computed once per snapshot.
   *
   * @param snapshot One of {@linkcode snapshots}.
   * @returns The annotations by class name.
   */
  annotateSnapshot(snapshot: ClassSnapshot): Map<string, ClassAnnotation> {
    const cached = this.#annotations.get(snapshot);
    if (cached !== undefined) return cached;
    const classes = new Map<string, ClassAnnotation>();
    for (const [name, objects] of this.index) {
      const samples = objects.map((object) => object.sampleAt(snapshot.timestamp)).filter(
        (sample): sample is SizeSample => sample !== undefined,
      );
      const sum = samples.reduce((total, sample) => total + sample.sized.size, 0);
      const active = objects.filter((object) => object.aliveAt(snapshot.timestamp)).length;
      classes.set(name, {
        sum,
        active,
        avg: active === 0 ? 0 : sum / active,
        pct: snapshot.total === 0 ? 0 : (sum * 100) / snapshot.total,
        merged: mergeSized(name, samples.map((sample) => sample.sized)),
      });
    }
    this.#annotations.set(snapshot, classes);
    return classes;
  }

  /**
   * The objects in sorted order, as `printStats` prints them.
   *
   * @param options `clsname`: only names containing it; `limit`: below 1 a share of all tracked
   * objects, from 1 a count. @default all objects
   * @returns The objects.
   */
  selected(options: { clsname?: string; limit?: number } = {}): TrackedObject[] {
    const { clsname, limit } = options;
    let objects = this.sorted;
    if (clsname !== undefined) objects = objects.filter((object) => object.name.includes(clsname));
    if (limit !== undefined) {
      const count = limit < 1 ? Math.round(limit * this.objects.length) : Math.trunc(limit);
      objects = objects.slice(0, count);
    }
    return objects;
  }

  /**
   * Writes the records as JSON with a format version (periodic snapshots of a live tracker are
   * stopped first), atomically.
   *
   * @param path The file.
   */
  async dumpStats(path: string): Promise<void> {
    await this.#tracker?.stopPeriodicSnapshots();
    await writeFileAtomic(path, this.toJSONText());
  }

  /** The dump's text: one JSON document, keys in a fixed order, so a reload dumps the same bytes. */
  toJSONText(): string {
    return JSON.stringify({
      format: STATS_FORMAT,
      version: STATS_VERSION,
      objects: this.objects.map(objectData),
      snapshots: this.snapshots.map(snapshotData),
    }) + "\n";
  }

  /**
   * Replaces the records with those of a dump.
   *
   * @param path The file {@linkcode dumpStats} wrote.
   * @throws {StatsFormatError} For a file that is not a dump of this format version.
   */
  async loadStats(path: string): Promise<void> {
    this.loadText(await readFile(path, "utf8"), path);
  }

  /**
   * Replaces the records with those of a dump's text.
   *
   * @param text The dump.
   * @param source Where it came from, for error messages.
   * @throws {StatsFormatError} For text that is not a dump of this format version.
   */
  loadText(text: string, source = "the dump"): void {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new StatsFormatError(
        `${source} is not JSON (${(error as Error).message}): is it a heapler stats dump?`,
        { cause: error },
      );
    }
    const dump = data as {
      format?: unknown;
      version?: unknown;
      objects?: unknown;
      snapshots?: unknown;
    };
    if (typeof dump !== "object" || dump === null || dump.format !== STATS_FORMAT) {
      throw new StatsFormatError(
        `${source} is not a heapler stats dump (no "format": "${STATS_FORMAT}")`,
      );
    }
    if (dump.version !== STATS_VERSION) {
      throw new StatsFormatError(
        `${source} has stats format version ${
          JSON.stringify(dump.version)
        }; this heapler reads version ${STATS_VERSION}`,
      );
    }
    try {
      const objects = (field(dump, "objects", "array", "the dump") as unknown[]).map((data, i) =>
        objectFromData(data, `objects[${i}]`)
      );
      const snapshots = (field(dump, "snapshots", "array", "the dump") as unknown[]).map((
        data,
        i,
      ) => snapshotFromData(data, `snapshots[${i}]`));
      this.objects = objects;
      this.snapshots = snapshots;
    } catch (error) {
      throw new StatsFormatError(`${source} is damaged: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.sorted = [...this.objects];
    this.#annotations = new WeakMap();
  }
}

/**
 * {@linkcode Stats} printed as text: one object at a time (`printStats`) or a table per snapshot
 * (`printSummary`), in Pympler's layout.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClassTracker } from "heapler/classtracker";
 * const lines: string[] = [];
 * const tracker = new ClassTracker({ stream: { write: (text) => void lines.push(text) } });
 * const Job = tracker.trackClass(class Job {});
 * const job = new Job();
 * await tracker.createSnapshot("one");
 * tracker.stats.printSummary();
 * assert(lines.join("").includes("  Job ") && job !== undefined);
 * ```
 */
export class ConsoleStats extends Stats {
  /**
   * Reads a dump.
   *
   * @param path The file.
   * @param options Where reports print.
   * @returns The statistics.
   * @throws {StatsFormatError} For a file that is not a dump.
   */
  static async fromFile(
    path: string,
    options: { stream?: TextStream } = {},
  ): Promise<ConsoleStats> {
    const stats = new ConsoleStats(options);
    await stats.loadStats(path);
    return stats;
  }

  /**
   * Prints one object: name, id and description (or `( free )` once collected), its
   * construction stack, its size at each snapshot with referents down to its resolution level,
   * and `finalize` at its death.
   *
   * @param object The record.
   */
  printObject(object: TrackedObject): void {
    const lines: string[] = [];
    const name = trunc(object.name, 32, { left: true }).padEnd(32);
    const repr = trunc(object.repr, 35).padEnd(35);
    const alive = object.death === undefined;
    lines.push(alive ? `${name} 0x${hex8(object.id)} ${repr}` : `${name} ( free )   ${repr}`);
    if (object.discovered) {
      lines.push("    (discovered in a heap snapshot: birth and death are as first seen)");
    }
    for (const frame of object.trace) {
      const source = sourceLine(frame.file, frame.line);
      if (source !== undefined) lines.push(`    ${source}`);
      lines.push(`  ${frame.file}:${String(frame.line).padStart(4)} in ${frame.function}`);
    }
    for (const sample of object.samples) {
      lines.push(`  ${ppTimestamp(sample.timestamp).padEnd(30)} ${pp(sample.sized.size)}`);
      referentLines(sample.sized, sample.sized.size, 1, lines);
    }
    if (object.error !== undefined) lines.push(`  could not be sized: ${object.error}`);
    if (!alive) lines.push(`  ${ppTimestamp(object.death).padEnd(30)} finalize`);
    this.stream.write(lines.map(escapeTerminal).join("\n") + "\n");
  }

  /**
   * Prints the objects in sorted order.
   *
   * @param options `clsname`: only names containing it; `limit`: below 1 a share of all tracked
   * objects, from 1 a count. @default all objects
   */
  printStats(options: { clsname?: string; limit?: number } = {}): void {
    for (const object of this.selected(options)) this.printObject(object);
  }

  /**
   * Prints a table per snapshot: per class, live instances, bytes, average, and `pct`, the share
   * of the snapshot's total (explained under the table, by which total it is).
   */
  printSummary(): void {
    const lines = [`---- SUMMARY ${"-".repeat(66)}`];
    const names = this.trackedClasses;
    for (const snapshot of this.snapshots) {
      const classes = this.annotateSnapshot(snapshot);
      lines.push(
        `${trunc(snapshot.desc, 35).padEnd(35)} ${"active".padStart(11)} ${
          pp(snapshot.asizeofTotal).padStart(12)
        } ${"average".padStart(12)} ${"pct".padStart(5)}`,
      );
      for (const name of names) {
        const row = classes.get(name)!;
        lines.push(
          `  ${trunc(name, 33).padEnd(33)} ${String(row.active).padStart(11)} ${
            pp(row.sum).padStart(12)
          } ${pp(row.avg).padStart(12)} ${String(Math.trunc(row.pct)).padStart(4)}%`,
        );
      }
    }
    lines.push("-".repeat(79));
    const bases = new Set(this.snapshots.map(totalBasis));
    if (bases.size > 0) lines.push(`pct: share of ${[...bases].join(" or ")} at each snapshot`);
    if (this.snapshots.some((snapshot) => !snapshot.discoveryFollowed)) {
      lines.push(
        "discovered instances are counted per snapshot, not followed across snapshots " +
          "(Bun's snapshot ids change every time)",
      );
    }
    this.stream.write(lines.map(escapeTerminal).join("\n") + "\n");
  }
}

/** What a snapshot's `pct` is a share of. */
function totalBasis(snapshot: ClassSnapshot): string {
  if (snapshot.system.rss) return "the process's resident memory (rss)";
  if (snapshot.asizeofTotal) return "the JS heap in use";
  return "the tracked total";
}

/** Adds up sized trees of one class, merging referents by name up to a `:` (Pympler's rule). */
export function mergeSized(name: string, trees: readonly Asized[]): Asized {
  const groups = new Map<string, Asized[]>();
  for (const tree of trees) {
    for (const ref of tree.refs) {
      const key = ref.name.split(":")[0]!;
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [ref]);
      else group.push(ref);
    }
  }
  return new Asized(
    trees.reduce((sum, tree) => sum + tree.size, 0),
    trees.reduce((sum, tree) => sum + tree.flat, 0),
    [...groups].map(([key, group]) => mergeSized(key, group)),
    name,
  );
}

function referentLines(sized: Asized, total: number, level: number, lines: string[]): void {
  for (const ref of sized.refs) {
    if (ref.size <= 0 || ref.size * 1000 <= total) continue;
    const label = trunc(`${"  ".repeat(level + 1)}${ref.name}`, 50).padEnd(50);
    const pct = String(Math.trunc((ref.size * 100) / total)).padStart(3);
    lines.push(`${label} ${pp(ref.size).padEnd(14)} ${pct}% [${level}]`);
    referentLines(ref, total, level + 1, lines);
  }
}

function hex8(value: number): string {
  return value.toString(16).padStart(8, "0");
}

const sourceCache = new Map<string, string[] | undefined>();

/** The line of source a stack frame points at, when the file can be read. */
function sourceLine(file: string, line: number): string | undefined {
  if (!sourceCache.has(file)) {
    try {
      sourceCache.set(file, readFileSync(file, "utf8").split("\n"));
    } catch {
      sourceCache.set(file, undefined);
    }
  }
  return sourceCache.get(file)?.[line - 1]?.trim();
}

interface SizedData {
  name: string;
  size: number;
  flat: number;
  refs: SizedData[];
}

interface ObjectData {
  id: number;
  name: string;
  className: string;
  repr: string;
  birth: number;
  death: number | null;
  discovered: boolean;
  resolutionLevel: number;
  error: string | null;
  trace: { file: string; line: number; column: number; function: string }[];
  samples: { timestamp: number; sized: SizedData }[];
}

interface SnapshotData {
  timestamp: number;
  desc: string;
  trackedTotal: number;
  asizeofTotal: number;
  overhead: number;
  system: { vsz?: number; rss?: number };
  discoveryFollowed: boolean;
}

function sizedData(sized: Asized): SizedData {
  return { name: sized.name, size: sized.size, flat: sized.flat, refs: sized.refs.map(sizedData) };
}

function sizedFromData(data: unknown, where: string): Asized {
  const refs = field(data, "refs", "array", where) as unknown[];
  return new Asized(
    field(data, "size", "number", where) as number,
    field(data, "flat", "number", where) as number,
    refs.map((ref, i) => sizedFromData(ref, `${where}.refs[${i}]`)),
    field(data, "name", "string", where) as string,
  );
}

type FieldKind = "string" | "number" | "boolean" | "array" | "object";

/**
 * A field of a loaded record, checked to be of its kind (`null` allowed when `nullable`), so a
 * damaged or forged dump fails at load with where, never later with an untyped error.
 */
function field(
  record: unknown,
  key: string,
  kind: FieldKind,
  where: string,
  nullable = false,
): unknown {
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new Error(`${where} is not an object`);
  }
  const value = (record as Record<string, unknown>)[key];
  if (nullable && value === null) return value;
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  const fits = kind === "number" ? Number.isFinite(value) : actual === kind;
  if (!fits) throw new Error(`${where}.${key} is not ${kind === "array" ? "an" : "a"} ${kind}`);
  return value;
}

function objectData(object: TrackedObject): ObjectData {
  return {
    id: object.id,
    name: object.name,
    className: object.className,
    repr: object.repr,
    birth: object.birth,
    death: object.death ?? null,
    discovered: object.discovered,
    resolutionLevel: object.resolutionLevel,
    error: object.error ?? null,
    trace: object.trace.map((frame) => ({
      file: frame.file,
      line: frame.line,
      column: frame.column,
      function: frame.function,
    })),
    samples: object.samples.map((sample) => ({
      timestamp: sample.timestamp,
      sized: sizedData(sample.sized),
    })),
  };
}

function objectFromData(data: unknown, where: string): TrackedObject {
  const text = (key: string) => field(data, key, "string", where) as string;
  const number = (key: string) => field(data, key, "number", where) as number;
  const trace = (field(data, "trace", "array", where) as unknown[]).map((frame, i) => {
    const at = `${where}.trace[${i}]`;
    return {
      file: field(frame, "file", "string", at) as string,
      line: field(frame, "line", "number", at) as number,
      column: field(frame, "column", "number", at) as number,
      function: field(frame, "function", "string", at) as string,
    };
  });
  const object = new TrackedObject({
    id: number("id"),
    name: text("name"),
    className: text("className"),
    repr: text("repr"),
    birth: number("birth"),
    death: (field(data, "death", "number", where, true) as number | null) ?? undefined,
    discovered: field(data, "discovered", "boolean", where) as boolean,
    trace,
    resolutionLevel: number("resolutionLevel"),
    error: (field(data, "error", "string", where, true) as string | null) ?? undefined,
  });
  (field(data, "samples", "array", where) as unknown[]).forEach((sample, i) => {
    const at = `${where}.samples[${i}]`;
    object.samples.push({
      timestamp: field(sample, "timestamp", "number", at) as number,
      sized: sizedFromData(field(sample, "sized", "object", at), `${at}.sized`),
    });
  });
  return object;
}

function snapshotData(snapshot: ClassSnapshot): SnapshotData {
  const system: { vsz?: number; rss?: number } = {};
  if (snapshot.system.vsz !== undefined) system.vsz = snapshot.system.vsz;
  if (snapshot.system.rss !== undefined) system.rss = snapshot.system.rss;
  return {
    timestamp: snapshot.timestamp,
    desc: snapshot.desc,
    trackedTotal: snapshot.trackedTotal,
    asizeofTotal: snapshot.asizeofTotal,
    overhead: snapshot.overhead,
    system,
    discoveryFollowed: snapshot.discoveryFollowed,
  };
}

function snapshotFromData(data: unknown, where: string): ClassSnapshot {
  const number = (key: string) => field(data, key, "number", where) as number;
  const snapshot = new ClassSnapshot(
    number("timestamp"),
    field(data, "desc", "string", where) as string,
  );
  snapshot.trackedTotal = number("trackedTotal");
  snapshot.asizeofTotal = number("asizeofTotal");
  snapshot.overhead = number("overhead");
  const system = field(data, "system", "object", where);
  for (const key of ["vsz", "rss"] as const) {
    const value = (system as Record<string, unknown>)[key];
    if (value !== undefined) {
      snapshot.system[key] = field(system, key, "number", `${where}.system`) as number;
    }
  }
  snapshot.discoveryFollowed = field(data, "discoveryFollowed", "boolean", where) as boolean;
  return snapshot;
}
