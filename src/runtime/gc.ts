import { port } from "./_current.ts";
import type { ObjectIdSteps } from "./_port.ts";
import { objectIdsForgotten, objectIdsKept } from "./snapshot.ts";

/**
 * Runs a full garbage collection now, on any runtime: `gc()` where exposed (V8 turns the flag
 * on itself when it was not given), `Bun.gc(true)` on Bun.
 *
 * @returns Whether a collection ran.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collectGarbage } from "heapler/runtime";
 * assert(collectGarbage() === true);
 * ```
 */
export function collectGarbage(): boolean {
  return port.collectGarbage();
}

/**
 * Ends the cost a heap snapshot leaves behind, when the program no longer needs its object ids:
 * once V8 has taken a snapshot it keeps every object's id through every move the collector
 * makes, for the rest of the process (measured: a loop allocating 2,000,000 small objects 5x
 * slower on Node 20 after one snapshot, as fast as before after this). The ids of later snapshots
 * start anew, so objects can no longer be matched by id with earlier snapshots: call it after
 * the comparisons by id (`getDiff`, garbage baselines, `leaks`) are done. JavaScriptCore (Bun)
 * offers no way to do this, and also slows after a snapshot (measured: 6x).
 *
 * @returns Whether the engine forgot the ids.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectRuntime, forgetObjectIds, takeHeapSnapshot } from "heapler/runtime";
 * for await (const _ of takeHeapSnapshot()) break;
 * assert(forgetObjectIds() === (detectRuntime().engine === "v8"));
 * ```
 */
export function forgetObjectIds(): boolean {
  const forgot = port.forgetObjectIds();
  if (forgot) objectIdsForgotten();
  return forgot;
}

/**
 * Collects garbage and waits until the `FinalizationRegistry` callbacks of what it freed have
 * run (they run in a later macrotask on all three runtimes, measured).
 *
 * @param rounds How many collect-and-wait rounds, for objects freed only by an earlier callback.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { settleFinalizers } from "heapler/runtime";
 * let finalized = false;
 * const registry = new FinalizationRegistry(() => finalized = true);
 * (() => registry.register({}, 0))();
 * await settleFinalizers();
 * assert(finalized);
 * ```
 */
export async function settleFinalizers(rounds = 2): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    await macrotask();
    collectGarbage();
    await macrotask();
    await macrotask();
  }
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The bytes of the JS heap still in use after a full garbage collection: a cheap measure of what
 * the program holds (milliseconds on a small heap), exact to the byte on V8 between two calls
 * with nothing kept in between (measured), noisier on Bun, whose collector scans the stack
 * conservatively.
 *
 * @returns Live heap bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { liveHeapBytes } from "./gc.ts";
 * assert(liveHeapBytes() > 0);
 * ```
 */
export function liveHeapBytes(): number {
  port.collectGarbage();
  return port.heapUsedPrecise();
}

/**
 * Starts giving the program's objects ids in steps, so that one snapshot taken before `end()`
 * tells, by id, between which two steps each live object was made: what survives from each of
 * several stretches of a program, without a snapshot per stretch (a step is a full collection and a
 * scan of the heap, 8 ms on a small program on Node 20; a snapshot is 150 ms or more). Undefined on
 * Bun, whose snapshot ids are not stable, without the inspector, and while the ids of an earlier
 * snapshot are kept: `end()` has the engine forget every id, and a caller's comparison by id with
 * that snapshot would break.
 *
 * @returns The steps, or undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { objectIdSteps } from "./gc.ts";
 * import { detectRuntime } from "heapler/runtime";
 * const steps = objectIdSteps();
 * assert(steps === undefined || detectRuntime().engine === "v8");
 * steps?.step();
 * steps?.end();
 * ```
 */
export function objectIdSteps(): ObjectIdSteps | undefined {
  if (objectIdsKept()) return undefined;
  const steps = port.objectIdSteps();
  if (steps === undefined) return undefined;
  return {
    step: () => steps.step(),
    end() {
      steps.end();
      objectIdsForgotten();
    },
  };
}
