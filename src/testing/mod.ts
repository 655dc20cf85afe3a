/**
 * Leak assertions for test suites: `assertNoLeak(fn)` runs `fn` over several rounds and fails,
 * with the SummaryTracker table, when some type grows in every round. Works inside `deno test`,
 * `node:test` and `bun test`.
 *
 * @example
 * ```ts
 * import { assertNoLeak } from "heapler/testing";
 * await assertNoLeak(() => JSON.parse(JSON.stringify({ list: [1, 2, 3] })), { rounds: 3 });
 * ```
 *
 * @module
 */
export {
  assertNoLeak,
  expectNoLeak,
  LeakError,
  type NoLeakOptions,
  type NoLeakResult,
} from "./assert_no_leak.ts";
