import { format, growingInEvery, type SummaryRow } from "../summary/mod.ts";
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

/**
 * Runs `fn` (sync or async) `warmup` times, then `rounds` rounds of `calls` calls with a
 * SummaryTracker diff after each (a full collection runs before every heap snapshot), and throws
 * {@linkcode LeakError} if some type grew by more than `tolerance` objects in every round. heapler's own objects are
 * never counted.
 *
 * @param fn The code under suspicion.
 * @param options Rounds, warm-up, tolerance, calls per round.
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
 * ```
 */
export async function assertNoLeak(
  fn: () => unknown,
  options: NoLeakOptions = {},
): Promise<void> {
  const { rounds = 5, warmup = 2, tolerance = 2, calls = 10 } = options;
  if (!Number.isInteger(rounds) || rounds < 2) {
    throw new RangeError(`rounds must be a whole number of at least 2, not ${rounds}`);
  }
  for (const [name, value] of [["warmup", warmup], ["tolerance", tolerance], ["calls", calls]]) {
    if (!(typeof value === "number" && value >= 0)) {
      throw new RangeError(`${name} must be a number of at least 0, not ${value}`);
    }
  }
  for (let i = 0; i < warmup; i++) await fn();
  const tracker = new SummaryTracker();
  // A first diff, discarded: heapler's own first run compiles its code and interns strings
  // (measured on Bun: some 1,700 strings in each of the first two rounds without it).
  await tracker.diff();
  const diffs: SummaryRow[][] = [];
  for (let round = 0; round < rounds; round++) {
    for (let call = 0; call < calls; call++) await fn();
    diffs.push(await tracker.diff());
  }
  const growing = growingInEvery(diffs, tolerance);
  if (growing.length > 0) throw new LeakError(growing, diffs);
}

/** Same as {@linkcode assertNoLeak}, for suites that say `expect`. */
export const expectNoLeak: typeof assertNoLeak = assertNoLeak;
