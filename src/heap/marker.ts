import { takeHeapSnapshot } from "../runtime/mod.ts";
import { HeapSnapshot } from "./heap_snapshot.ts";
import {
  HEAPLER_HOLDER_KEY,
  HEAPLER_MADE_KEY,
  HEAPLER_PROGRAM_KEY,
  HEAPLER_SOURCE_KEY,
} from "./selection.ts";
import type { ParserOptions } from "./parser.ts";

/**
 * The one object through which heapler holds things in the running program: markers during a
 * snapshot, a tracker's stored summaries. It is a non-enumerable property of `globalThis`, so
 * snapshots can tell heapler's objects from the program's (`heaplerOwned` in `selection.ts`).
 *
 * @returns The holder, created on first use.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { heaplerHolder } from "./marker.ts";
 * assert(heaplerHolder() === heaplerHolder());
 * ```
 */
export function heaplerHolder(): Record<string, unknown> {
  const global = globalThis as Record<string, unknown>;
  let holder = Object.getOwnPropertyDescriptor(global, HEAPLER_HOLDER_KEY)?.value as
    | Record<string, unknown>
    | undefined;
  if (holder === undefined) {
    holder = Object.create(null) as Record<string, unknown>;
    // heapler's own source files: src/ when run from source, the package when bundled.
    holder[HEAPLER_SOURCE_KEY] = new URL("..", import.meta.url).href;
    Object.defineProperty(global, HEAPLER_HOLDER_KEY, { value: holder, configurable: true });
  }
  return holder;
}

/**
 * Declares a source file under heapler's own as a program: its functions and what they hold count
 * as the program's (heapler's demo server is measured as any program would be).
 *
 * @param url The module's `import.meta.url`.
 */
export function declareProgramSource(url: string): void {
  const holder = heaplerHolder();
  const list = (holder[HEAPLER_PROGRAM_KEY] ??= []) as string[];
  if (!list.includes(url)) list.push(url);
}

/** A value heapler holds for an owner, out of the program's sight (see {@linkcode heaplerSlot}). */
export interface HeaplerSlot<T> {
  get(): T;
  set(value: T): void;
}

let slotSerial = 0;
const releaseSlot = new FinalizationRegistry<number>((index) => {
  delete heaplerHolder()[index];
});

/**
 * Holds a value under heapler's holder for as long as `owner` lives, so that snapshots count it as
 * heapler's, not the program's, even though the program holds the owner (a tracker, a server).
 * The owner must reach the value only through the slot. The slot is a whole-number key: no string
 * the program would hold and then let go, which would show in a diff.
 *
 * @param owner The object whose state this is.
 * @param value The first value.
 * @returns The slot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { heaplerSlot } from "./marker.ts";
 * const owner = {};
 * const slot = heaplerSlot(owner, [1, 2]);
 * slot.set([...slot.get(), 3]);
 * assert(slot.get().length === 3);
 * ```
 */
export function heaplerSlot<T>(owner: object, value: T): HeaplerSlot<T> {
  const index = slotSerial++;
  heaplerHolder()[index] = value;
  releaseSlot.register(owner, index);
  return {
    get: () => heaplerHolder()[index] as T,
    set: (next) => {
      heaplerHolder()[index] = next;
    },
  };
}

const MADE_REFS = "madeRefs";

/**
 * Remembers (weakly) a value heapler made and handed to the program, such as a summary, so that
 * snapshots count it as heapler's even while the program holds it.
 *
 * @param value The value.
 * @returns The value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { markHeaplerMade } from "./marker.ts";
 * const rows = markHeaplerMade([["Object", 1, 16]]);
 * assert(rows.length === 1);
 * ```
 */
export function markHeaplerMade<T extends object>(value: T): T {
  const holder = heaplerHolder();
  let refs = holder[MADE_REFS] as WeakRef<object>[] | undefined;
  if (refs === undefined) refs = holder[MADE_REFS] = [];
  if (refs.length >= 64) {
    const live = refs.filter((ref) => ref.deref() !== undefined);
    refs.length = 0;
    refs.push(...live);
  }
  refs.push(new WeakRef(value));
  return value;
}

/**
 * Takes a snapshot of the running program in which heapler's own objects can be told apart
 * (`heaplerOwned` in `selection.ts`): the values it handed out stand under the holder for
 * the moment of the snapshot.
 *
 * @param options Progress reporting.
 * @returns The parsed snapshot.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { snapshotProgram } from "./marker.ts";
 * assert((await snapshotProgram()).nodeCount > 0);
 * ```
 */
export async function snapshotProgram(options: ParserOptions = {}): Promise<HeapSnapshot> {
  showMadeValues(true);
  let chunks: AsyncIterable<Uint8Array>;
  try {
    chunks = takeHeapSnapshot(); // taken here, synchronously
  } finally {
    showMadeValues(false);
  }
  return await HeapSnapshot.parse(chunks, options);
}

/** Puts the live values heapler made under the holder's `made` object, or takes them away. */
function showMadeValues(show: boolean): void {
  const holder = heaplerHolder();
  if (!show) {
    delete holder[HEAPLER_MADE_KEY];
    return;
  }
  const made: Record<string, object> = Object.create(null);
  const refs = (holder[MADE_REFS] as WeakRef<object>[] | undefined) ?? [];
  refs.forEach((ref, index) => {
    const value = ref.deref();
    if (value !== undefined) made[`m${index}`] = value;
  });
  holder[HEAPLER_MADE_KEY] = made;
}

/** How every marker key starts, so views can leave markers out. */
export const MARKER_PREFIX = "__heapler_marker_";

let markerSerial = 0;

/** A snapshot of the running program and where given values sit in it. */
export interface MarkedSnapshot {
  /** The snapshot. */
  snapshot: HeapSnapshot;
  /** The ordinal of each value, or -1 for one that is not a heap object (a small integer). */
  ordinals: number[];
}

/**
 * Takes a snapshot of the running program and finds the given live values in it. Each value is
 * held for the moment of the snapshot under a unique string key of a marker object (a key
 * survives minification, a class name would not), and found by following that edge.
 *
 * @param values The values to find.
 * @param options Progress reporting.
 * @returns The snapshot and the ordinal of each value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { snapshotWithValues } from "heapler/heap";
 * const value = { hello: "world" };
 * const { snapshot, ordinals } = await snapshotWithValues([value]);
 * assert(snapshot.node(ordinals[0]!).className === "Object");
 * ```
 */
export async function snapshotWithValues(
  values: readonly unknown[],
  options: ParserOptions = {},
): Promise<MarkedSnapshot> {
  const prefix = `${MARKER_PREFIX}${Math.random().toString(36).slice(2)}_${markerSerial++}_`;
  const keys = values.map((_, index) => `${prefix}${index}`);
  const marker: Record<string, unknown> = Object.create(null);
  keys.forEach((key, index) => marker[key] = values[index]);
  const holder = heaplerHolder();
  holder[prefix] = marker;
  try {
    const snapshot = await snapshotProgram(options);
    return { snapshot, ordinals: snapshot.findByPropertyKeys(keys) };
  } finally {
    delete holder[prefix];
  }
}
