/**
 * fast-check settings shared by the property tests: a fixed seed, overridable with
 * HEAPLER_SEED, so any failure replays.
 *
 * @module
 */
import process from "node:process";

/** The seed every property test uses. */
export const SEED: number = Number(process.env.HEAPLER_SEED ?? 20261125);

/** Options for `fc.assert`: the fixed seed, and a run count that `HEAPLER_RUNS` can raise. */
export function propertyOptions(numRuns = 100): { seed: number; numRuns: number } {
  return { seed: SEED, numRuns: Number(process.env.HEAPLER_RUNS ?? numRuns) };
}
