/**
 * What the class tracker records of one object and of one snapshot, as plain data that the
 * statistics read whether it comes from a live tracker or from a dump.
 *
 * @module
 */
import type { Asized } from "../sizeof/mod.ts";

/** Seconds since heapler was loaded: the clock of every timestamp the tracker records. */
const ORIGIN = performance.now();

/**
 * The tracker's clock: seconds since heapler was loaded (Pympler: since module import).
 *
 * @returns Seconds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trackerTime } from "./tracked_object.ts";
 * assert(trackerTime() >= 0);
 * ```
 */
export function trackerTime(): number {
  return (performance.now() - ORIGIN) / 1000;
}

/** One frame of a construction stack, outermost first. */
export interface TraceFrame {
  /** The file or URL. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** The function, or `<module>` at the top level. */
  function: string;
}

/** One sized sample of a tracked object. */
export interface SizeSample {
  /** When (tracker seconds). */
  timestamp: number;
  /** Its size, with per-referent sizes down to its resolution level. */
  sized: Asized;
}

/**
 * One tracked object: its class name, lifetime, construction stack and sizes over time (Pympler's
 * `TrackedObject`). A live tracker's records also reach the object, weakly.
 */
export class TrackedObject {
  /** Unique within the tracker: a serial number, or the snapshot id of a discovered instance. */
  readonly id: number;
  /** The name it is tracked under: its class's, unless a name was given. */
  readonly name: string;
  /** Its class's name. */
  readonly className: string;
  /** A short description of the object (from the last snapshot that sized it). */
  repr: string;
  /** When it was registered (tracker seconds); for a discovered one, the first snapshot it was seen in. */
  readonly birth: number;
  /** When it was collected or, for a discovered one, the first snapshot it was missing from. */
  death: number | undefined;
  /** Discovered in a heap snapshot: birth and death are known only to the snapshot. */
  readonly discovered: boolean;
  /** The construction stack, outermost first, without heapler's frames; empty unless traced. */
  readonly trace: readonly TraceFrame[];
  /** Its sizes at each snapshot while it lived. */
  readonly samples: SizeSample[] = [];
  /** Why the last snapshot could not size it, if it could not. */
  error: string | undefined;
  /** How many levels of referents each sample keeps. */
  resolutionLevel: number;
  readonly #ref: WeakRef<object> | undefined;

  /**
   * @param fields What is known at registration (`ref` for a live object).
   */
  constructor(fields: {
    id: number;
    name: string;
    className?: string;
    repr?: string;
    birth: number;
    death?: number | undefined;
    discovered?: boolean;
    trace?: readonly TraceFrame[];
    resolutionLevel?: number;
    error?: string | undefined;
    ref?: WeakRef<object>;
  }) {
    this.id = fields.id;
    this.name = fields.name;
    this.className = fields.className ?? fields.name;
    this.repr = fields.repr ?? fields.name;
    this.birth = fields.birth;
    this.death = fields.death;
    this.discovered = fields.discovered ?? false;
    this.trace = fields.trace ?? [];
    this.resolutionLevel = fields.resolutionLevel ?? 0;
    this.error = fields.error;
    this.#ref = fields.ref;
  }

  /** The object while it lives and is followed by a live tracker, else `undefined`. */
  deref(): object | undefined {
    return this.#ref?.deref();
  }

  /** Whether it lived at `timestamp`: born by then and not yet dead. */
  aliveAt(timestamp: number): boolean {
    return this.birth <= timestamp && (this.death === undefined || this.death > timestamp);
  }

  /** Its largest sampled size, 0 if never sampled. */
  maxSize(): number {
    return this.samples.reduce((max, sample) => Math.max(max, sample.sized.size), 0);
  }

  /**
   * Its size at a snapshot's timestamp, 0 if that snapshot did not sample it.
   *
   * @param timestamp The snapshot's timestamp.
   */
  sizeAt(timestamp: number): number {
    return this.sampleAt(timestamp)?.sized.size ?? 0;
  }

  /**
   * Its sample at a snapshot's timestamp.
   *
   * @param timestamp The snapshot's timestamp.
   */
  sampleAt(timestamp: number): SizeSample | undefined {
    return this.samples.find((sample) => sample.timestamp === timestamp);
  }
}

/**
 * How many of some objects lived over time: one `[seconds, live]` pair after each birth and
 * death, in time order (births first at equal times).
 *
 * @param objects Births and deaths (`undefined` for the living).
 * @returns The pairs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { liveCounts } from "./tracked_object.ts";
 * const counts = liveCounts([{ birth: 1, death: 3 }, { birth: 2, death: undefined }]);
 * assert(counts.map(([, live]) => live).join() === "1,2,1");
 * ```
 */
export function liveCounts(
  objects: Iterable<{ birth: number; death: number | undefined }>,
): [number, number][] {
  const events: [number, number][] = [];
  for (const { birth, death } of objects) {
    events.push([birth, 1]);
    if (death !== undefined) events.push([death, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  let live = 0;
  return events.map(([time, change]) => [time, live += change]);
}

/** Process memory when a snapshot was taken (fields the platform does not report are absent). */
export interface SystemMemory {
  /** Virtual size in bytes. */
  vsz?: number;
  /** Resident set size in bytes. */
  rss?: number;
}

/** One snapshot of the tracked objects (Pympler's `Snapshot`). */
export class ClassSnapshot {
  /** When (tracker seconds). */
  readonly timestamp: number;
  /** The description given to `createSnapshot`. */
  readonly desc: string;
  /** The bytes of every tracked object sized. */
  trackedTotal = 0;
  /** The JS heap in use, without the tracker's overhead, when `computeTotal` was asked; else 0. */
  asizeofTotal = 0;
  /** The bytes of the tracker's own records. */
  overhead = 0;
  /** Process memory. */
  system: SystemMemory = {};
  /**
   * Whether instances discovered in this snapshot are the same records as in the snapshot
   * before: false on Bun, whose snapshot ids change every time (there each snapshot counts and
   * sizes its discovered instances afresh).
   */
  discoveryFollowed = true;

  /**
   * @param timestamp When.
   * @param desc Its description.
   */
  constructor(timestamp: number, desc: string) {
    this.timestamp = timestamp;
    this.desc = desc;
  }

  /**
   * What percentages are of: the process's resident memory if known, else the JS heap in use,
   * else the tracked total. (Pympler uses the virtual size; V8 reserves some 16 GiB of address
   * space up front, which would make every share 0%.)
   */
  get total(): number {
    return this.system.rss || this.asizeofTotal || this.trackedTotal;
  }

  /** `"1.234s"`, or `"desc (1.234s)"`. */
  get label(): string {
    const time = `${this.timestamp.toFixed(3)}s`;
    return this.desc === "" ? time : `${this.desc} (${time})`;
  }
}
