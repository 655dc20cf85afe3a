import { takeHeapSnapshot } from "../runtime/mod.ts";
import { HEAPLER_HOLDER_KEY, HeapSnapshot } from "./heap_snapshot.ts";
import type { ParserOptions } from "./parser.ts";

/**
 * The one object through which heapler holds things in the running program: markers during a
 * snapshot, a tracker's stored summaries. It is a non-enumerable property of `globalThis`, so
 * snapshots can tell heapler's objects from the program's ({@linkcode HeapSnapshot.heaplerOwned}).
 *
 * @returns The holder, created on first use.
 *
 * @example
 * ```ts
 * import { heaplerHolder } from "./marker.ts";
 * console.assert(heaplerHolder() === heaplerHolder());
 * ```
 */
export function heaplerHolder(): Record<string, unknown> {
  const global = globalThis as Record<string, unknown>;
  let holder = Object.getOwnPropertyDescriptor(global, HEAPLER_HOLDER_KEY)?.value as
    | Record<string, unknown>
    | undefined;
  if (holder === undefined) {
    holder = Object.create(null) as Record<string, unknown>;
    Object.defineProperty(global, HEAPLER_HOLDER_KEY, { value: holder, configurable: true });
  }
  return holder;
}

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
 * import { snapshotWithValues } from "./marker.ts";
 * const value = { hello: "world" };
 * const { snapshot, ordinals } = await snapshotWithValues([value]);
 * console.assert(snapshot.node(ordinals[0]!).className === "Object");
 * ```
 */
export async function snapshotWithValues(
  values: readonly unknown[],
  options: ParserOptions = {},
): Promise<MarkedSnapshot> {
  const prefix = `__heapler_marker_${Math.random().toString(36).slice(2)}_${markerSerial++}_`;
  const keys = values.map((_, index) => `${prefix}${index}`);
  const marker: Record<string, unknown> = Object.create(null);
  keys.forEach((key, index) => marker[key] = values[index]);
  const holder = heaplerHolder();
  holder[prefix] = marker;
  try {
    const snapshot = await HeapSnapshot.parse(takeHeapSnapshot(), options);
    return { snapshot, ordinals: snapshot.findByPropertyKeys(keys) };
  } finally {
    delete holder[prefix];
  }
}
