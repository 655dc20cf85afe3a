import { format, growingInEvery, type SummaryRow } from "../summary/mod.ts";
import { summaryRowsOfNodes } from "../summary/internal.ts";
import { type MarkedSnapshot, snapshotWithValues } from "../heap/mod.ts";
import { sizesOf } from "../heap/internal.ts";
import { forgetObjectIds, settleFinalizers } from "../runtime/mod.ts";
import {
  liveHeapBytes,
  objectIdsKept,
  type ObjectIdSteps,
  objectIdSteps,
} from "../runtime/internal.ts";
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
  /** Per round, how each type grew (see {@linkcode LeakError.decidedBy}). */
  readonly rounds: readonly (readonly SummaryRow[])[];
  /**
   * How the rounds were compared: `"survivors"` (V8), each round's rows are the objects it made
   * that were still alive at the end; `"snapshots"`, each round's rows are its summary diff.
   */
  readonly decidedBy: "survivors" | "snapshots";

  /**
   * @param growing The leaking types.
   * @param rounds Every round's rows.
   * @param decidedBy What the rows of a round are.
   */
  constructor(
    growing: readonly SummaryRow[],
    rounds: readonly (readonly SummaryRow[])[],
    decidedBy: "survivors" | "snapshots",
  ) {
    const table = format(growing, { limit: 20 }).join("\n");
    const shown = decidedBy === "survivors"
      ? "objects each round made were still alive at the end, the fewest shown"
      : "the least growth per round shown";
    super(
      `${growing.length} type${
        growing.length === 1 ? "" : "s"
      } grew in every one of ${rounds.length} rounds (${shown}):\n${table}`,
    );
    this.growing = growing;
    this.rounds = rounds;
    this.decidedBy = decidedBy;
  }
}

/** How {@linkcode assertNoLeak} reached its verdict when it passed. */
export interface NoLeakResult {
  /**
   * `"heap"`: in most rounds of the first pass the live heap grew by less than a type growing
   * beyond the tolerance would add, so no snapshot was needed. Otherwise the types of the program
   * were compared round by round, and none grew in every one: `"survivors"` (V8), by the objects
   * each round made that were still alive at the end, from one snapshot; `"snapshots"`, by a
   * summary diff after each round.
   */
  decidedBy: "heap" | "survivors" | "snapshots";
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
 * `tolerance + 1` of the smallest objects, up or down: a leak grows in every round, and the noise
 * of a few (code still being compiled, a lazy cache freed) is outvoted. Otherwise the types decide,
 * in a second pass of `rounds` rounds. On V8 the engine numbers the objects after each round and
 * one snapshot at the end tells, by id, which round made each object still alive: a type leaks if
 * every round left more than `tolerance` of its objects (a cache already full, whose new entries
 * replace old ones, keeps each round's objects too; its heap holds still, so the first pass passes
 * it unless something else grows). On Bun, whose ids are not stable, and while an earlier
 * snapshot's ids are kept (numbering would make V8 forget them), a SummaryTracker diff after each
 * round decides instead. A result that is not a promise is not awaited: an `await` per call costs
 * the heap some bytes in `node --test` (measured: 32 B), which would make every round grow.
 * Snapshots leave V8 keeping object ids, which slows the rest of the process; the check forgets
 * them after, unless a snapshot taken before it had them kept (see `forgetObjectIds` in
 * `heapler/runtime`).
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
  const survivors = await survivorsByRound(fn, rounds, calls);
  const decidedBy = survivors === undefined ? "snapshots" : "survivors";
  const perRound = survivors ?? await diffRoundsForgettingIds(fn, rounds, calls);
  const growing = growingInEvery(perRound, tolerance);
  if (growing.length > 0) throw new LeakError(growing, perRound, decidedBy);
  return { decidedBy, heapGrowth };
}

/**
 * The second pass on V8: `rounds` rounds of `calls` calls, the objects numbered after each, then
 * one snapshot. Undefined where the engine cannot number objects (see {@linkcode objectIdSteps}).
 *
 * @returns Per round, the program's objects it made that are still alive, as summary rows.
 */
async function survivorsByRound(
  fn: () => unknown,
  rounds: number,
  calls: number,
): Promise<SummaryRow[][] | undefined> {
  const steps = objectIdSteps();
  if (steps === undefined) return undefined;
  let marked: MarkedSnapshot;
  try {
    const marks: object[] = [];
    markRound(steps, marks);
    for (let round = 0; round < rounds; round++) {
      await callTimes(fn, calls);
      markRound(steps, marks);
    }
    marked = await snapshotWithValues(marks);
  } finally {
    steps.end();
  }
  const { snapshot, ordinals } = marked;
  const bounds = ordinals.map((ordinal) => ordinal < 0 ? NaN : snapshot.idOf(ordinal));
  // Ids that do not rise from mark to mark were not given in steps (a step the inspector
  // refused): the diffs decide instead.
  if (!bounds.every((id, mark) => mark === 0 ? id > 0 : id > bounds[mark - 1]!)) return undefined;
  const selection = { programOnly: true };
  const { rows, rowOf } = summaryRowsOfNodes(snapshot, selection);
  const sizes = sizesOf(snapshot, selection);
  const byRound = bounds.slice(1).map(() => new Map<number, SummaryRow>());
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const row = rowOf[node]!;
    const id = snapshot.idOf(node);
    if (row < 0 || id <= bounds[0]! || id >= bounds[rounds]!) continue;
    let round = 0;
    while (id > bounds[round + 1]!) round++;
    const survivors = byRound[round]!;
    let survivor = survivors.get(row);
    if (survivor === undefined) survivors.set(row, survivor = [rows[row]![0], 0, 0]);
    survivor[1]++;
    survivor[2] += sizes[node]!;
  }
  return byRound.map((survivors) => [...survivors.values()]);
}

/**
 * Ends a round: a mark made between two steps has an id above every object made before it and
 * below every object made after it, but for heapler's own few between the steps.
 */
function markRound(steps: ObjectIdSteps, marks: object[]): void {
  steps.step();
  marks.push({});
  steps.step();
}

/**
 * The second pass without numbered objects: {@linkcode diffRounds}, after which V8 forgets the
 * snapshots' object ids, which slow the rest of the process (2-9x for allocation, measured),
 * unless a snapshot of the caller's kept them before.
 */
async function diffRoundsForgettingIds(
  fn: () => unknown,
  rounds: number,
  calls: number,
): Promise<SummaryRow[][]> {
  const idsKeptBefore = objectIdsKept();
  try {
    return await diffRounds(fn, rounds, calls);
  } finally {
    if (!idsKeptBefore) forgetObjectIds();
  }
}

/** A SummaryTracker diff after each of `rounds` rounds of `calls` calls. */
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
 * `rounds` rounds grew by less than a type growing beyond the tolerance adds, or that can no
 * longer happen within twice `rounds` rounds (the room lets code that the engine is still
 * compiling settle).
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
  // It stops as soon as most rounds held still, or too few rounds are left for them to.
  while (still < stillNeeded && stillNeeded - still <= 2 * rounds - heapGrowth.length) {
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
