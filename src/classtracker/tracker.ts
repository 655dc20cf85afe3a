/**
 * `ClassTracker`: instances of chosen classes, their lifetimes and their sizes over time
 * (Pympler's `classtracker`).
 *
 * @module
 */
import { clearTimeout, setTimeout } from "node:timers";
import { types } from "node:util";
import { dominatedNodes } from "../graph/mod.ts";
import { snapshotWithValues } from "../heap/mod.ts";
import { ProcessMemoryInfo } from "../process/mod.ts";
import { engineMemory, type TextStream } from "../runtime/mod.ts";
import { stdout } from "../runtime/internal.ts";
import { Asized, Asizer } from "../sizeof/mod.ts";
import { className } from "../reflect/mod.ts";
import { measureNode } from "../sizeof/internal.ts";
import { ConsoleStats } from "./stats.ts";
import {
  ClassSnapshot,
  liveCounts,
  type SizeSample,
  type TraceFrame,
  TrackedObject,
  trackerTime,
} from "./tracked_object.ts";
import { heaplerOwned, instancesOf } from "../heap/internal.ts";
import { NumberColumn } from "./_column.ts";

/** How one object or the instances of one class are tracked. */
export interface TrackOptions {
  /** The name to file them under. @default the class name */
  name?: string;
  /** Levels of referents each snapshot sizes on their own (0: the total only). @default 0 */
  resolutionLevel?: number;
  /** Hold them strongly, so they live as long as the tracker tracks them. @default false */
  keep?: boolean;
  /** Record the construction stack (costs about 10 µs per instance). @default false */
  trace?: boolean;
}

/** How the instances of one class are tracked. */
export interface TrackClassOptions extends TrackOptions {
  /**
   * Also find its instances in a heap snapshot at each `createSnapshot`, for classes whose
   * construction you cannot intercept (`Map`, a library's class). Found instances are sized from
   * the snapshot (what only they keep alive); their birth is the first snapshot that saw them.
   * @default false
   */
  discover?: boolean;
}

/** Options of {@linkcode ClassTracker}. */
export interface ClassTrackerOptions {
  /** Where the statistics print. @default standard output */
  stream?: TextStream;
  /** Told the bytes parsed so far while a discovery snapshot is read, for a progress bar. */
  onProgress?: (bytesRead: number) => void;
}

/** A class, as `trackClass` takes it. */
// deno-lint-ignore no-explicit-any -- any constructor at all, whatever its parameters
export type Class = abstract new (...args: any[]) => object;

/** How a group of objects is tracked: shared by every object registered the same way. */
interface Kind {
  name: string;
  className: string;
  resolutionLevel: number;
  keep: boolean;
  trace: boolean;
  discovered: boolean;
}

/** A tracked class: its prototype identifies its instances (and its subclasses' instances). */
interface TrackedClass {
  cls: Class;
  kind: number;
  discover: boolean;
  /** The constructor `trackClass` returned: constructing through it registers the instance. */
  tracked: Class;
  /** False once detached: the tracked constructor then constructs without registering. */
  active: boolean;
}

const NOT_DEAD = -1;

/**
 * Tracks instances of chosen classes: when each was born and collected, how big each is at every
 * snapshot, and the process memory around them. Read the results with {@linkcode stats}
 * (`ConsoleStats`), `HtmlStats`, or a dump.
 *
 * JavaScript cannot patch an existing class's constructor, so there are two ways in:
 * - for classes you own, construct through what `trackClass` returns, or decorate the class with
 *   `@tracker.decorate()`: every instance (of subclasses too, filed under the most specialised
 *   tracked class) is registered as it is made, exactly, with its construction stack if asked;
 * - for classes you cannot touch, `trackClass(Map, { discover: true })`: each `createSnapshot`
 *   finds their live instances in a heap snapshot. Births are then "first seen"; on Bun, whose
 *   snapshot ids change every time, each snapshot counts its instances afresh.
 *
 * Per tracked instance the tracker holds a weak reference, a finalization cell and three numbers
 * (see `bench/classtracker_bench.ts`); its records, sizes and stacks are kept after death.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ClassTracker } from "heapler/classtracker";
 * const tracker = new ClassTracker();
 * const Employee = tracker.trackClass(class Employee { name = "Ada"; });
 * const staff = Array.from({ length: 3 }, () => new Employee());
 * const snapshot = await tracker.createSnapshot("hired");
 * assert(tracker.objects.length === 3 && snapshot.trackedTotal > 0 && staff.length === 3);
 * ```
 */
export class ClassTracker {
  /** Every snapshot taken, oldest first. */
  readonly snapshots: ClassSnapshot[] = [];
  readonly #stream: TextStream;
  readonly #onProgress: ((bytesRead: number) => void) | undefined;
  readonly #kinds: Kind[] = [];
  readonly #kindIndex = new Map<string, number>();
  readonly #classes = new Map<object, TrackedClass>();
  // One column per fact, one row per registered object (its id): a few bytes per instance.
  readonly #refs: (WeakRef<object> | undefined)[] = [];
  readonly #objectKinds = new NumberColumn();
  readonly #births = new NumberColumn();
  readonly #deaths = new NumberColumn();
  readonly #levels = new Map<number, number>();
  readonly #traces = new Map<number, TraceFrame[]>();
  readonly #reprs = new Map<number, string>();
  readonly #errors = new Map<number, string>();
  readonly #samples = new Map<number, SizeSample[]>();
  /** Ids by object, filled on demand up to {@linkcode #indexed} (kept off the construction path). */
  #byValue = new WeakMap<object, number>();
  #indexed = 0;
  readonly #keepalive = new Set<object>();
  /** Discovered instances still alive, by snapshot id. */
  readonly #discoveredAlive = new Map<number, number>();
  #registry = this.#newRegistry();
  #queue: Promise<unknown> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #interval = 1;
  #periodic = false;

  /**
   * @param options Where the statistics print.
   */
  constructor(options: ClassTrackerOptions = {}) {
    this.#stream = options.stream ?? stdout;
    this.#onProgress = options.onProgress;
  }

  /**
   * Starts tracking one object. Tracking an object already tracked (and alive) does nothing, so
   * with class tracking the most specialised class wins.
   *
   * @param object The object.
   * @param options Name, resolution level, keep, trace.
   * @throws {TypeError} For a value that is not an object or function (it cannot be weakly held).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ClassTracker } from "heapler/classtracker";
   * const tracker = new ClassTracker();
   * tracker.trackObject(new Map(), { name: "cache", keep: true });
   * assert(tracker.objects[0]!.name === "cache");
   * ```
   */
  trackObject(object: object, options: TrackOptions = {}): void {
    if ((typeof object !== "object" && typeof object !== "function") || object === null) {
      throw new TypeError(
        `Only objects can be tracked, not ${object === null ? "null" : typeof object}`,
      );
    }
    if (this.#idOf(object) !== undefined) return;
    this.#register(object, this.#kindFor(className(object), options, false));
  }

  /**
   * Tracks every instance of a class made from now on, and returns the constructor to make them
   * with: a subclass with the same name, statics and `instanceof`, adding nothing to instances,
   * that registers each instance as it is constructed. Subclasses of the returned constructor are tracked too, under the most
   * specialised tracked class. Tracking a class again changes how new instances are tracked.
   *
   * @param cls The class.
   * @param options Name, resolution level, keep, trace, and discovery in snapshots.
   * @returns The tracked constructor.
   * @throws {TypeError} For something that is not a class.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ClassTracker } from "heapler/classtracker";
   * const tracker = new ClassTracker();
   * class Node { children: Node[] = []; }
   * const TrackedNode = tracker.trackClass(Node);
   * assert(new TrackedNode() instanceof Node && tracker.objects.length === 1);
   * ```
   */
  trackClass<C extends Class>(cls: C, options: TrackClassOptions = {}): C {
    const prototype = typeof cls === "function" ? prototypeOf(cls) : undefined;
    if (prototype === undefined) {
      throw new TypeError(`Only classes can be tracked, not ${describeValue(cls)}`);
    }
    const kind = this.#kindFor(cls.name || "(anonymous class)", options, false);
    const existing = this.#entryOf(cls);
    if (existing !== undefined) {
      existing.kind = kind;
      existing.discover = options.discover ?? false;
      existing.active = true;
      return existing.tracked as C;
    }
    const entry: TrackedClass = {
      cls,
      kind,
      discover: options.discover ?? false,
      tracked: cls,
      active: true,
    };
    // deno-lint-ignore no-this-alias -- the constructor registers into this tracker
    const tracker = this;
    // A subclass that registers after construction: a Proxy's construct trap would be the other
    // way, but costs 2 µs per instance on Node 20 (measured), the subclass next to nothing.
    const Base = cls as unknown as new (...args: unknown[]) => object;
    // Named by a computed key, so the engine itself calls it by the class's name: JavaScriptCore's
    // snapshots name instances after the constructor's own name, not its `name` property.
    const { [cls.name]: Tracked } = {
      [cls.name]: class extends Base {
        constructor(...args: unknown[]) {
          super(...args);
          // Registered once, by the most specialised tracked class of what is being constructed:
          // a tracked subclass registers after this constructor returns.
          if (
            entry.active &&
            (new.target === Tracked || tracker.#mostSpecialised(new.target) === entry)
          ) {
            tracker.#register(this, entry.kind);
          }
        }
      },
    };
    Object.defineProperty(Tracked, "displayName", { value: cls.name });
    entry.tracked = Tracked as unknown as Class;
    this.#classes.set(prototype, entry);
    return entry.tracked as C;
  }

  /**
   * A standard (TC39) class decorator that tracks the class it decorates.
   *
   * @param options As for {@linkcode trackClass}.
   * @returns The decorator.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ClassTracker } from "heapler/classtracker";
   * const tracker = new ClassTracker();
   * @tracker.decorate({ name: "Job" })
   * class Job {}
   * new Job();
   * assert(tracker.objects[0]!.name === "Job");
   * ```
   */
  decorate(
    options: TrackClassOptions = {},
  ): <C extends Class>(cls: C, context: ClassDecoratorContext) => C {
    return (cls, context) => {
      if (context.kind !== "class") throw new TypeError("decorate() decorates classes only");
      return this.trackClass(cls, options);
    };
  }

  /**
   * Changes how many levels of referents the snapshots size for one tracked object.
   *
   * @param object The tracked object.
   * @param resolutionLevel The new level.
   * @throws {RangeError} When the object is not tracked.
   */
  trackChange(object: object, resolutionLevel: number): void {
    const id = this.#idOf(object);
    if (id === undefined) throw new RangeError("trackChange: the object is not tracked");
    this.#levels.set(id, resolutionLevel);
  }

  /**
   * Stops tracking new instances of a class (given as the class or as its tracked constructor).
   *
   * @param cls The class.
   * @throws {RangeError} When the class is not tracked.
   */
  detachClass(cls: Class): void {
    const entry = this.#entryOf(cls);
    if (entry === undefined || !entry.active) {
      throw new RangeError(`detachClass: ${describeValue(cls)} is not tracked`);
    }
    entry.active = false;
    entry.discover = false;
  }

  /** Stops tracking new instances of every class. */
  detachAllClasses(): void {
    for (const entry of this.#classes.values()) {
      entry.active = false;
      entry.discover = false;
    }
  }

  /** Same as {@linkcode detachAllClasses}: for `using`-style and `finally` clean-up. */
  close(): void {
    this.detachAllClasses();
  }

  /** Detaches every class and forgets every tracked object. */
  detachAll(): void {
    this.detachAllClasses();
    this.#registry = this.#newRegistry(); // the old one's callbacks would name forgotten ids
    this.#byValue = new WeakMap();
    this.#indexed = 0;
    this.#refs.length = 0;
    for (const column of [this.#objectKinds, this.#births, this.#deaths]) column.clear();
    for (
      const map of [
        this.#levels,
        this.#traces,
        this.#reprs,
        this.#errors,
        this.#samples,
        this.#discoveredAlive,
      ]
    ) map.clear();
    this.#keepalive.clear();
  }

  /** Detaches everything, forgets every object and every snapshot. */
  clear(): void {
    this.detachAll();
    this.snapshots.length = 0;
  }

  /**
   * Every object tracked, dead ones included, in registration order: fresh records of what the
   * tracker knows now.
   */
  get objects(): TrackedObject[] {
    return Array.from({ length: this.#births.length }, (_, id) => this.#record(id));
  }

  /** Statistics over what was tracked, printing to the tracker's stream. */
  get stats(): ConsoleStats {
    return new ConsoleStats({ tracker: this, stream: this.#stream });
  }

  /**
   * Sizes every live tracked object, and records process memory and the tracker's overhead.
   * Objects are sized in registration order with one sizer: what several share is charged to
   * the first, and a tracked object inside another is never counted in the other. Sizing never
   * runs user code; an object that cannot be sized gets an error, not a failed snapshot.
   * Snapshots run one at a time, in the order asked.
   *
   * @param description What this snapshot marks.
   * @param options `computeTotal`: also record the JS heap in use.
   * @returns The snapshot.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ClassTracker } from "heapler/classtracker";
   * const tracker = new ClassTracker();
   * tracker.trackObject({ data: "x".repeat(100) }, { keep: true });
   * const snapshot = await tracker.createSnapshot("start", { computeTotal: true });
   * assert(snapshot.label.startsWith("start (") && snapshot.asizeofTotal > 0);
   * ```
   */
  createSnapshot(
    description: unknown = "",
    options: { computeTotal?: boolean } = {},
  ): Promise<ClassSnapshot> {
    const run = this.#queue.then(() =>
      this.#snapshot(String(description), options.computeTotal ?? false)
    );
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Takes snapshots every `interval` seconds until stopped, on a timer that does not keep the
   * process alive. When already running, only the interval changes.
   *
   * @param options `interval` in seconds.
   * @throws {RangeError} For an interval that is not a positive number.
   */
  startPeriodicSnapshots(options: { interval?: number } = {}): void {
    const interval = options.interval ?? 1;
    if (!(interval > 0) || !Number.isFinite(interval)) {
      throw new RangeError(`The interval is a positive number of seconds, not ${interval}`);
    }
    this.#interval = interval;
    if (this.#periodic) return;
    this.#periodic = true;
    this.#schedule();
  }

  /** Whether periodic snapshots are running. */
  get periodic(): boolean {
    return this.#periodic;
  }

  /** Stops periodic snapshots, after the one in progress (if any) has finished. */
  async stopPeriodicSnapshots(): Promise<void> {
    this.#periodic = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#queue;
  }

  /**
   * The number of live instances of a class over time: one `[seconds, count]` pair per birth
   * and per death, in time order.
   *
   * @param name The class name.
   * @returns The pairs.
   */
  history(name: string): [number, number][] {
    return liveCounts(this.objects.filter((object) => object.name === name));
  }

  /** How many objects were ever registered (discovered ones included): a mark for {@linkcode registeredSince}. */
  get registered(): number {
    return this.#births.length;
  }

  /**
   * How many objects of each class were registered after a mark: the instances made while, say,
   * one request ran.
   *
   * @param mark A value of {@linkcode registered} read earlier.
   * @returns Counts by class name, classes with none left out.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ClassTracker } from "heapler/classtracker";
   * const tracker = new ClassTracker();
   * const Job = tracker.trackClass(class Job {});
   * const mark = tracker.registered;
   * const jobs = [new Job(), new Job()];
   * assert(tracker.registeredSince(mark).get("Job") === 2 && jobs.length === 2);
   * ```
   */
  registeredSince(mark: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (let id = Math.max(0, mark); id < this.#objectKinds.length; id++) {
      const name = this.#kinds[this.#objectKinds.get(id)]!.name;
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return counts;
  }

  /** Every class name that has a tracked object, sorted. */
  get trackedClasses(): string[] {
    const names = new Set<string>();
    for (let id = 0; id < this.#objectKinds.length; id++) {
      names.add(this.#kinds[this.#objectKinds.get(id)]!.name);
    }
    return [...names].sort();
  }

  #schedule(): void {
    const timer = setTimeout(() => {
      if (!this.#periodic) return;
      this.createSnapshot().finally(() => {
        if (this.#periodic) this.#schedule();
      });
    }, this.#interval * 1000);
    timer.unref();
    this.#timer = timer;
  }

  #kindFor(className: string, options: TrackOptions, discovered: boolean): number {
    const kind: Kind = {
      name: options.name ?? className,
      className,
      resolutionLevel: options.resolutionLevel ?? 0,
      keep: options.keep ?? false,
      trace: options.trace ?? false,
      discovered,
    };
    const key = JSON.stringify(kind);
    let index = this.#kindIndex.get(key);
    if (index === undefined) {
      index = this.#kinds.push(kind) - 1;
      this.#kindIndex.set(key, index);
    }
    return index;
  }

  /** The record of a class, given as itself or as its tracked constructor. */
  #entryOf(cls: Class): TrackedClass | undefined {
    const prototype = prototypeOf(cls);
    const entry = prototype === undefined ? undefined : this.#classes.get(prototype);
    if (entry !== undefined) return entry;
    return [...this.#classes.values()].find((candidate) => candidate.tracked === cls);
  }

  /** The tracked class nearest to `newTarget` on its prototype chain. */
  #mostSpecialised(newTarget: object): TrackedClass | undefined {
    for (
      let prototype = prototypeOf(newTarget) ?? null;
      prototype !== null && !types.isProxy(prototype);
      prototype = Reflect.getPrototypeOf(prototype)
    ) {
      const entry = this.#classes.get(prototype);
      if (entry?.active) return entry;
    }
    return undefined;
  }

  #register(object: object, kind: number): void {
    const { keep, trace } = this.#kinds[kind]!;
    const id = this.#births.length;
    this.#births.push(trackerTime());
    this.#deaths.push(NOT_DEAD);
    this.#objectKinds.push(kind);
    this.#refs.push(new WeakRef(object));
    this.#registry.register(object, id);
    if (keep) this.#keepalive.add(object);
    if (trace) this.#traces.set(id, constructionStack());
  }

  #newRegistry(): FinalizationRegistry<number> {
    const registry: FinalizationRegistry<number> = new FinalizationRegistry((id) => {
      if (registry === this.#registry) this.#died(id);
    });
    return registry;
  }

  /** The id of a live tracked object. */
  #idOf(object: object): number | undefined {
    for (; this.#indexed < this.#refs.length; this.#indexed++) {
      const tracked = this.#refs[this.#indexed]?.deref();
      if (tracked !== undefined) this.#byValue.set(tracked, this.#indexed);
    }
    return this.#byValue.get(object);
  }

  #died(id: number): void {
    if (this.#deaths.get(id) === NOT_DEAD) this.#deaths.set(id, trackerTime());
    this.#refs[id] = undefined;
  }

  #record(id: number): TrackedObject {
    const kind = this.#kinds[this.#objectKinds.get(id)]!;
    const death = this.#deaths.get(id);
    const record = new TrackedObject({
      id,
      name: kind.name,
      className: kind.className,
      repr: this.#reprs.get(id) ?? kind.name,
      birth: this.#births.get(id),
      death: death === NOT_DEAD ? undefined : death,
      discovered: kind.discovered,
      trace: this.#traces.get(id) ?? [],
      resolutionLevel: this.#levels.get(id) ?? kind.resolutionLevel,
      error: this.#errors.get(id),
      ...(this.#refs[id] ? { ref: this.#refs[id] } : {}),
    });
    record.samples.push(...(this.#samples.get(id) ?? []));
    return record;
  }

  async #snapshot(description: string, computeTotal: boolean): Promise<ClassSnapshot> {
    const timestamp = trackerTime();
    const snapshot = new ClassSnapshot(timestamp, description);
    const live: [id: number, object: object][] = [];
    this.#refs.forEach((ref, id) => {
      const object = ref?.deref();
      if (object !== undefined) live.push([id, object]);
    });
    const sizer = new Asizer();
    sizer.excludeRefs(...live.map(([, object]) => object));
    for (const [id, object] of live) {
      const level = this.#levels.get(id) ??
        this.#kinds[this.#objectKinds.get(id)]!.resolutionLevel;
      try {
        sizer.set({ detail: level });
        const [sized] = sizer.asized(object);
        this.#sample(id, { timestamp, sized: sized! });
        this.#reprs.set(id, sized!.name);
        this.#errors.delete(id);
      } catch (error) {
        this.#errors.set(
          id,
          error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        );
      }
    }
    snapshot.trackedTotal = sizer.total;
    const discovering = [...this.#classes.values()].filter((entry) => entry.discover);
    if (discovering.length > 0) {
      const discovered = await this.#discover(discovering, timestamp);
      snapshot.trackedTotal += discovered.bytes;
      snapshot.discoveryFollowed = discovered.followed;
    }
    const process = new ProcessMemoryInfo();
    if (process.vsz !== undefined) snapshot.system.vsz = process.vsz;
    if (process.rss !== undefined) snapshot.system.rss = process.rss;
    const overheadSizer = new Asizer();
    overheadSizer.excludeRefs(...live.map(([, object]) => object), ...this.#keepalive);
    snapshot.overhead = this.#births.bytes + this.#deaths.bytes + this.#objectKinds.bytes +
      overheadSizer.asizeof(
        this.#refs,
        this.#kinds,
        this.#traces,
        this.#reprs,
        this.#errors,
        this.#samples,
        this.snapshots,
      );
    if (computeTotal) {
      snapshot.asizeofTotal = Math.max(0, (engineMemory().heapUsed ?? 0) - snapshot.overhead);
    }
    this.snapshots.push(snapshot);
    return snapshot;
  }

  #sample(id: number, sample: SizeSample): void {
    const samples = this.#samples.get(id);
    if (samples === undefined) this.#samples.set(id, [sample]);
    else samples.push(sample);
  }

  /**
   * Finds, registers and sizes the live instances of the discovering classes; returns their
   * bytes, and whether the snapshot's ids let them be followed from the snapshot before.
   */
  async #discover(
    classes: TrackedClass[],
    timestamp: number,
  ): Promise<{ bytes: number; followed: boolean }> {
    const { snapshot, ordinals } = await snapshotWithValues(
      classes.map((entry) => prototypeOf(entry.cls)),
      this.#onProgress === undefined ? {} : { onProgress: this.#onProgress },
    );
    const children = dominatedNodes(snapshot.dominators);
    const owned = heaplerOwned(snapshot);
    // Ids that change with every snapshot (Bun) cannot follow an instance: each snapshot's
    // instances are new records, and the last snapshot's end here.
    const followed = snapshot.stableIds;
    if (!followed) this.#endDiscovered(timestamp, new Set());
    const seen = new Set<number>();
    let total = 0;
    classes.forEach((entry, position) => {
      const prototype = ordinals[position]!;
      if (prototype < 0) return;
      const tracked = this.#kinds[entry.kind]!;
      const kind = this.#kindFor(tracked.className, tracked, true);
      for (const ordinal of instancesOf(snapshot, prototype)) {
        if (owned[ordinal] === 1) continue;
        const key = snapshot.idOf(ordinal);
        seen.add(key);
        let id = this.#discoveredAlive.get(key);
        if (id === undefined) {
          id = this.#births.push(timestamp);
          this.#deaths.push(NOT_DEAD);
          this.#objectKinds.push(kind);
          this.#refs.push(undefined);
          this.#discoveredAlive.set(key, id);
        }
        const measured = measureNode(snapshot, children, ordinal);
        const node = snapshot.node(ordinal);
        this.#sample(id, {
          timestamp,
          sized: new Asized(measured.size, node.selfSize, [], `${node.className} @${node.id}`),
        });
        this.#reprs.set(id, `${node.className} @${node.id}`);
        total += measured.size;
      }
    });
    this.#endDiscovered(timestamp, seen);
    return { bytes: total, followed };
  }

  /** Ends the discovered records whose snapshot id is not among `seen`. */
  #endDiscovered(timestamp: number, seen: ReadonlySet<number>): void {
    for (const [key, id] of this.#discoveredAlive) {
      if (seen.has(key)) continue;
      this.#deaths.set(id, timestamp);
      this.#discoveredAlive.delete(key);
    }
  }
}

/** A class's own `prototype`, read without running a getter; undefined for a non-class. */
function prototypeOf(value: unknown): object | undefined {
  if (typeof value !== "function") return undefined;
  const prototype = Reflect.getOwnPropertyDescriptor(value, "prototype")?.value;
  return typeof prototype === "object" && prototype !== null ? prototype : undefined;
}

function describeValue(value: unknown): string {
  if (typeof value === "function") return `function ${value.name || "(anonymous)"}`;
  return value === null ? "null" : typeof value;
}

/** This module's location, to trim heapler's own frames from construction stacks. */
const OWN_FILE = new URL(import.meta.url).pathname;

/** The stack of the construction being tracked, outermost first, without heapler's frames. */
function constructionStack(): TraceFrame[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const frames: TraceFrame[] = [];
  for (const line of stack.split("\n").slice(1)) {
    const match = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/.exec(line);
    if (match === null) continue;
    const [, fn, at, lineNumber, column] = match;
    const location = at!.replace(/^async /, "");
    const file = location.startsWith("file://") ? new URL(location).pathname : location;
    if (file === OWN_FILE || file.startsWith("node:") || file === "native") continue;
    frames.push({
      file,
      line: Number(lineNumber),
      column: Number(column),
      function: fn === undefined || fn === "" ? "<module>" : fn.replace(/^async /, ""),
    });
  }
  return frames.reverse();
}
