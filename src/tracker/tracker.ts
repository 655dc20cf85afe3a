import { type HeapObject } from "../heap/mod.ts";
import {
  type HeaplerSlot,
  heaplerSlot,
  markHeaplerMade,
  snapshotProgram,
} from "../heap/internal.ts";
import { formatTable, pp, trunc } from "../format/mod.ts";
import { stdout } from "../runtime/internal.ts";
import { type TextStream } from "../runtime/mod.ts";
import { getDiff as getObjectDiff, getObjects, type ObjectDiff } from "../muppy/mod.ts";
import {
  format,
  type FormatOptions,
  getDiff,
  summarizeSnapshot,
  type SummaryRow,
  sweep,
} from "../summary/mod.ts";

/** Options of {@linkcode SummaryTracker}. */
export interface SummaryTrackerOptions {
  /**
   * Leave out what the tracker itself holds (its stored summaries) and the summaries it
   * returned, so that two summaries with nothing in between diff to empty. @default true
   */
  ignoreSelf?: boolean;
  /** Told the bytes parsed so far while each summary's snapshot is read, for a progress bar. */
  onProgress?: (bytesRead: number) => void;
}

interface TrackerState {
  /** The summary the next `diff()` compares against. */
  last: SummaryRow[] | undefined;
  /** Summaries stored by key. */
  summaries: Map<string, SummaryRow[]>;
}

/** A slot the program holds itself (a tracker that counts its own data). */
function ownSlot<T>(value: T): HeaplerSlot<T> {
  return {
    get: () => value,
    set: (next) => {
      value = next;
    },
  };
}

/**
 * Tracks the type summary of the running program: each `diff()` tells which types grew or
 * shrank since the last one. Summaries count what the program made (objects, functions,
 * strings…), not the engine's own structures, which change as code is compiled.
 *
 * The first summary is taken when the tracker is made; every method is async because a
 * summary needs a heap snapshot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SummaryTracker } from "heapler/tracker";
 * const tracker = new SummaryTracker();
 * await tracker.diff();
 * const cache = new Map(Array.from({ length: 200 }, (_, i) => [i, { i }]));
 * const diff = await tracker.diff();
 * assert(diff.some(([type, count]) => type === "Object" && count >= 200) && cache.size > 0);
 * ```
 */
export class SummaryTracker {
  /** Whether the tracker leaves out its own data. */
  readonly ignoreSelf: boolean;
  /** The state, held by heapler when ignoring self, so the program's graph does not reach it. */
  readonly #slot: HeaplerSlot<TrackerState>;
  readonly #ready: Promise<void>;
  readonly #onProgress: ((bytesRead: number) => void) | undefined;

  /**
   * Starts tracking: takes the first summary.
   *
   * @param options Whether to leave out the tracker's own data.
   */
  constructor(options: SummaryTrackerOptions = {}) {
    this.ignoreSelf = options.ignoreSelf ?? true;
    this.#onProgress = options.onProgress;
    const state: TrackerState = { last: undefined, summaries: new Map() };
    this.#slot = this.ignoreSelf ? heaplerSlot(this, state) : ownSlot(state);
    this.#ready = this.createSummary().then((summary) => {
      this.#state.last = summary;
    });
  }

  get #state(): TrackerState {
    return this.#slot.get();
  }

  /** Settles when the first summary, the one the first diff compares with, is taken. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** The summaries stored with {@linkcode SummaryTracker.storeSummary}, by key. */
  get summaries(): ReadonlyMap<string, SummaryRow[]> {
    return this.#state.summaries;
  }

  /**
   * Takes a summary of the running program now.
   *
   * @returns The summary rows.
   */
  async createSummary(): Promise<SummaryRow[]> {
    const snapshot = await snapshotProgram(
      this.#onProgress === undefined ? {} : { onProgress: this.#onProgress },
    );
    const rows = summarizeSnapshot(snapshot, {
      includeHeapler: !this.ignoreSelf,
      programOnly: true,
    });
    return this.ignoreSelf ? markHeaplerMade(rows) : rows;
  }

  /**
   * Takes a summary and stores it under a key, for later diffs.
   *
   * @param key The key.
   */
  async storeSummary(key: string): Promise<void> {
    await this.#ready;
    const summary = await this.createSummary();
    this.#state.summaries.set(key, summary);
  }

  /**
   * The difference between two summaries, rows zero in both columns swept away. With no
   * summaries: between the last one and now (now becomes the last one). With `summary1` only:
   * between it and now. With both: between them, leaving the last one as it was.
   *
   * @param summary1 The earlier summary.
   * @param summary2 The later summary (needs `summary1`).
   * @returns The difference rows.
   * @throws {TypeError} If `summary2` is given without `summary1`.
   */
  async diff(summary1?: SummaryRow[], summary2?: SummaryRow[]): Promise<SummaryRow[]> {
    if (summary1 === undefined && summary2 !== undefined) {
      throw new TypeError("Cannot diff: summary2 needs summary1");
    }
    await this.#ready;
    let result: SummaryRow[];
    if (summary2 !== undefined) {
      result = sweep(getDiff(summary1!, summary2));
    } else {
      // The state is read after the snapshot: a suspended frame holding it would count it.
      const now = await this.createSummary();
      result = sweep(getDiff(summary1 ?? this.#state.last!, now));
      this.#state.last = now;
    }
    return this.ignoreSelf ? markHeaplerMade(result) : result;
  }

  /**
   * The difference as Pympler's table (see {@linkcode SummaryTracker.diff}).
   *
   * @param summary1 The earlier summary.
   * @param summary2 The later summary.
   * @param options Limit, sort and order of the table.
   * @returns The table's lines.
   */
  async formatDiff(
    summary1?: SummaryRow[],
    summary2?: SummaryRow[],
    options: FormatOptions = {},
  ): Promise<string[]> {
    return format(await this.diff(summary1, summary2), options);
  }

  /**
   * Prints the difference as Pympler's table.
   *
   * @param summary1 The earlier summary.
   * @param summary2 The later summary.
   * @param options Limit, sort and order, and where to print.
   */
  async printDiff(
    summary1?: SummaryRow[],
    summary2?: SummaryRow[],
    options: FormatOptions & { stream?: TextStream } = {},
  ): Promise<void> {
    const { stream = stdout, ...formatOptions } = options;
    stream.write((await this.formatDiff(summary1, summary2, formatOptions)).join("\n") + "\n");
  }
}

/** Options of {@linkcode ObjectTracker.formatDiff}. */
export interface ObjectDiffFormatOptions {
  /** The most objects listed in each of the two tables. @default 15 */
  limit?: number;
}

/**
 * Tracks individual objects: each `getDiff()` lists the objects the program created and freed
 * since the last one, by object id (stable on Node and Deno; Bun's ids are not, and it says so).
 * Engine structures (code, hidden classes) are left out, as in the summary tracker.
 *
 * @example
 * ```ts ignore
 * import assert from "node:assert/strict";
 * import { ObjectTracker } from "heapler/tracker";
 * const tracker = new ObjectTracker();
 * globalThis.kept = { made: "now" };
 * const diff = await tracker.getDiff();
 * assert(diff["+"].some((o) => o.className === "Object"));
 * ```
 */
export class ObjectTracker {
  readonly #objects: HeaplerSlot<HeapObject[]> = heaplerSlot<HeapObject[]>(this, []);
  readonly #ready: Promise<void>;

  /** Starts tracking: lists every object now. */
  constructor() {
    this.#ready = getObjects({ programOnly: true }).then((objects) => this.#objects.set(objects));
  }

  /**
   * The objects created (`"+"`) and freed (`"-"`) since the last call.
   *
   * @returns The two lists.
   * @throws {UnstableIdsError} On Bun, whose snapshot ids are not stable.
   */
  async getDiff(): Promise<ObjectDiff> {
    await this.#ready;
    const after = await getObjects({ programOnly: true });
    const diff = getObjectDiff(this.#objects.get(), after);
    this.#objects.set(after);
    return markHeaplerMade(diff);
  }

  /**
   * The difference as two tables, `Added objects:` and `Removed objects:`, largest first, with
   * each object's id, type, name and size.
   *
   * @param options How many objects each table lists.
   * @returns The lines.
   */
  async formatDiff(options: ObjectDiffFormatOptions = {}): Promise<string[]> {
    const { limit = 15 } = options;
    const diff = await this.getDiff();
    const table = (objects: HeapObject[]): string[] => {
      const largest = [...objects].sort((a, b) => b.selfSize - a.selfSize).slice(0, limit);
      const lines = formatTable([
        ["id", "type", "name", "size"],
        ...largest.map((
          o,
        ) => [`@${o.id}`, o.className, trunc(JSON.stringify(o.name), 40), pp(o.selfSize)]),
      ]);
      if (objects.length > largest.length) {
        lines.push(`... and ${objects.length - largest.length} more`);
      }
      return lines;
    };
    return ["Added objects:", ...table(diff["+"]), "Removed objects:", ...table(diff["-"])];
  }

  /**
   * Prints the difference (see {@linkcode ObjectTracker.formatDiff}).
   *
   * @param options How many objects each table lists, and where to print.
   */
  async printDiff(options: ObjectDiffFormatOptions & { stream?: TextStream } = {}): Promise<void> {
    const { stream = stdout, ...formatOptions } = options;
    stream.write((await this.formatDiff(formatOptions)).join("\n") + "\n");
  }
}
