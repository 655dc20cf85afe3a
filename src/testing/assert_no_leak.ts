import { format, growingInEvery, type SummaryRow } from "../summary/mod.ts";
import { forgetObjectIds, settleFinalizers } from "../runtime/mod.ts";
import { liveHeapBytes, objectIdsKept } from "../runtime/internal.ts";
import { SummaryTracker } from "../tracker/mod.ts";

/** Options of {@linkcode assertNoLeak}. */
export interface NoLeakOptions {
  /** Rounds measured: a type leaks if it grows in every one. @default 5 */
  rounds?: number;
  /** Calls before measuring, so caches, compiled code and lazy singletons settle. @default 2 */
  warmup?: number;
  /**
   * Objects of a type that may appear per round without counting as growth: a live runtime
   * keeps the odd object per snapshot (measured: one `Object` per round on Deno). @default 2
   */
  tolerance?: number;
  /** Calls of `fn` per round, so that one object leaked per call stands above the tolerance. @default 10 */
  calls?: number;
}

/** Thrown by {@linkcode assertNoLeak}: which types grew in every round, and by how much. */
export class LeakError extends Error {
  override readonly name = "LeakError";
  /** Per leaking type, the least it grew in one round: `[type, objects, bytes]`. */
  readonly growing: readonly SummaryRow[];
  /** The summary diff of every round. */
  readonly rounds: readonly (readonly SummaryRow[])[];

  /**
   * @param growing The leaking types.
   * @param rounds Every round's diff.
   */
  constructor(growing: readonly SummaryRow[], rounds: readonly (readonly SummaryRow[])[]) {
    const table = format(growing, { limit: 20 }).join("\n");
    super(
      `${growing.length} type${
        growing.length === 1 ? "" : "s"
      } grew in every one of ${rounds.length} rounds (the least growth per round shown):\n${table}`,
    );
    this.growing = growing;
    this.rounds = rounds;
  }
}

/** How {@linkcode assertNoLeak} reached its verdict when it passed. */
export interface NoLeakResult {
  /**
   * `"heap"`: in most rounds of the first pass the live heap grew by less than a type growing
   * beyond the tolerance would add, so no snapshot was needed. `"snapshots"`: it grew in every round, and the
   * types of the program were compared round by round (and none grew in every one).
   */
  decidedBy: "heap" | "snapshots";
  /** Bytes the live heap grew by in each round of the first pass (after a full collection). */
  heapGrowth: readonly number[];
}

/**
 * Runs `fn` (sync or async) `warmup` times, then `rounds` rounds of `calls` calls, and throws
 * {@linkcode LeakError} if some type grew by more than `tolerance` objects in every round.
 * heapler's own objects are never counted.
 *
 * It works in two passes, so that code without a leak costs milliseconds, not snapshots. The
 * first measures the live heap after a full collection at the end of each round, and ends the
 * check once most of `rounds` rounds (out of at most twice as many) moved by less than
 * `tolerance + 1` of the smallest objects, up or down: a leak grows in every round, and the noise of a few
 * (code still being compiled, a lazy cache freed) is outvoted. Otherwise the second pass takes a
 * SummaryTracker diff after each of its rounds, and the types decide. A result that is not a
 * promise is not awaited: an `await` per call costs the heap some bytes in `node --test`
 * (measured: 32 B), which would make every round grow. Snapshots leave V8 keeping object ids,
 * which slows the rest of the process; the check forgets them after, unless a snapshot taken
 * before it had them kept (see `forgetObjectIds` in `heapler/runtime`).
 *
 * @param fn The code under suspicion.
 * @param options Rounds, warm-up, tolerance, calls per round.
 * @returns How the verdict was reached.
 * @throws {LeakError} When something grows in every round.
 * @throws {RangeError} For fewer than 2 rounds or negative counts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { assertNoLeak, LeakError } from "heapler/testing";
 * const cache: object[] = [];
 * class Entry {}
 * const leaks = await assertNoLeak(() => void cache.push(new Entry()), { rounds: 3 })
 *   .then(() => false, (error) => error instanceof LeakError && error.message.includes("Entry"));
 * assert(leaks);
 * const { heapGrowth } = await assertNoLeak(() => JSON.parse("[1, 2, 3]"));
 * assert(heapGrowth.length >= 3);
 * ```
 */
export async function assertNoLeak(
  fn: () => unknown,
  options: NoLeakOptions = {},
): Promise<NoLeakResult> {
  const { rounds = 5, warmup = 2, tolerance = 2, calls = 10 } = options;
  if (!Number.isInteger(rounds) || rounds < 2) {
    throw new RangeError(`rounds must be a whole number of at least 2, not ${rounds}`);
  }
  for (const [name, value] of [["warmup", warmup], ["tolerance", tolerance], ["calls", calls]]) {
    if (!(typeof value === "number" && value >= 0)) {
      throw new RangeError(`${name} must be a number of at least 0, not ${value}`);
    }
  }
  await callTimes(fn, warmup);
  // What earlier code left to finalizers and weak references goes first, so its freeing does
  // not pass for a round that did not grow.
  await settleFinalizers();
  const { heapGrowth, heldStill } = await screenHeap(fn, rounds, calls, tolerance);
  if (heldStill) return { decidedBy: "heap", heapGrowth };
  // The snapshots leave V8 keeping object ids, which slows the rest of the process (2-9x for
  // allocation, measured): forgotten after, unless a snapshot of the caller's kept them before.
  const idsKeptBefore = objectIdsKept();
  let diffs: SummaryRow[][];
  try {
    diffs = await diffRounds(fn, rounds, calls);
  } finally {
    if (!idsKeptBefore) forgetObjectIds();
  }
  const growing = growingInEvery(diffs, tolerance);
  if (growing.length > 0) throw new LeakError(growing, diffs);
  return { decidedBy: "snapshots", heapGrowth };
}

/** The second pass: a SummaryTracker diff after each of `rounds` rounds of `calls` calls. */
async function diffRounds(
  fn: () => unknown,
  rounds: number,
  calls: number,
): Promise<SummaryRow[][]> {
  const tracker = new SummaryTracker();
  // A first diff, discarded: heapler's own first run compiles its code and interns strings
  // (measured on Bun: some 1,700 strings in each of the first two rounds without it).
  await tracker.diff();
  const diffs: SummaryRow[][] = [];
  for (let round = 0; round < rounds; round++) {
    await callTimes(fn, calls);
    diffs.push(await tracker.diff());
  }
  return diffs;
}

/**
 * The first pass: rounds of `calls` calls with the live heap measured after each, until most of
 * `rounds` rounds grew by less than a type growing beyond the tolerance adds, or twice `rounds`
 * rounds ran (the room lets code that the engine is still compiling settle).
 *
 * @returns The growth of each round run, and whether most rounds held still.
 */
async function screenHeap(
  fn: () => unknown,
  rounds: number,
  calls: number,
  tolerance: number,
): Promise<{ heapGrowth: number[]; heldStill: boolean }> {
  // A type grown beyond the tolerance adds at least this much: less is the engine's own noise
  // (measured on V8: tens of bytes of feedback per round while code warms up).
  const leastLeak = (Math.floor(tolerance) + 1) * SMALLEST_OBJECT_BYTES;
  const stillNeeded = Math.floor(rounds / 2) + 1;
  const heapGrowth: number[] = [];
  let still = 0;
  let before = liveHeapBytes();
  while (still < stillNeeded && heapGrowth.length < 2 * rounds) {
    await callTimes(fn, calls);
    const after = liveHeapBytes();
    heapGrowth.push(after - before);
    // A round in which the heap shrank freed something else, which may hide growth: only a
    // round that moved less than a leak would is evidence that nothing grows.
    if (Math.abs(after - before) < leastLeak) still++;
    before = after;
  }
  return { heapGrowth, heldStill: still >= stillNeeded };
}

/** The smallest object an engine makes: a boxed number, 12 bytes with V8's pointer compression. */
const SMALLEST_OBJECT_BYTES = 12;

/** Calls `fn` `times` times, one after the other, awaiting only what returns a promise. */
async function callTimes(fn: () => unknown, times: number): Promise<void> {
  for (let call = 0; call < times; call++) {
    const result = fn();
    if (typeof (result as PromiseLike<unknown> | undefined)?.then === "function") await result;
  }
}

/** Same as {@linkcode assertNoLeak}, for suites that say `expect`. */
export const expectNoLeak: typeof assertNoLeak = assertNoLeak;
