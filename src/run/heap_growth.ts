/**
 * When a program's heap has started to grow, told from its size after full collections, read at
 * intervals: what `heapler run` waits for before its first snapshot where a snapshot slows the
 * program for the rest of its life (Bun).
 *
 * @module
 */

/** How much a reading must exceed the one before to count as a rise: 1 % of the heap. */
const STEP = 0.01;
/** Rises in a row that make growth: a warming-up program rises once or twice, then levels off. */
const RISES = 3;
/** A reading this far above the lowest is growth, however slowly it came: 25 %. */
const LIFT = 0.25;

/**
 * Readings of the heap's size after full collections, and whether they show it growing: it rose
 * by at least 1 % at three readings in a row, or it is 25 % above the lowest reading. A heap that
 * levels off after warming up, or holds steady within the collector's noise, does not grow.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HeapGrowth } from "./heap_growth.ts";
 * const growth = new HeapGrowth();
 * assert([100, 102, 104, 106].map((bytes) => growth.add(bytes)).join() === "false,false,false,true");
 * assert(growth.lowest === 100 && growth.latest === 106);
 * ```
 */
export class HeapGrowth {
  #latest: number | undefined;
  #lowest = Infinity;
  #rises = 0;

  /**
   * Adds one reading.
   *
   * @param bytes The heap's size after a full collection.
   * @returns Whether the heap is growing.
   */
  add(bytes: number): boolean {
    const rose = this.#latest !== undefined && bytes >= this.#latest * (1 + STEP);
    this.#rises = rose ? this.#rises + 1 : 0;
    this.#latest = bytes;
    this.#lowest = Math.min(this.#lowest, bytes);
    return this.#rises >= RISES || bytes >= this.#lowest * (1 + LIFT);
  }

  /** The lowest reading so far (`Infinity` before the first). */
  get lowest(): number {
    return this.#lowest;
  }

  /** The last reading (undefined before the first). */
  get latest(): number | undefined {
    return this.#latest;
  }
}
