/**
 * Signal listeners of heapler's own, told apart from the program's: heapler cleans up or writes a
 * report on Ctrl+C or SIGTERM, and then lets the signal end the program only when the program has
 * no handler of its own for it.
 *
 * @module
 */
import process from "node:process";

const own = new WeakSet<object>();

/**
 * Listens to a signal on heapler's behalf.
 *
 * @param signal The signal, e.g. `"SIGTERM"`.
 * @param listener Called with the signal's name.
 * @returns A function that stops listening.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { onSignal, programHandles } from "./signals.ts";
 * const stop = onSignal("SIGTERM", () => {});
 * assert(!programHandles("SIGTERM"));
 * stop();
 * ```
 */
export function onSignal(
  signal: NodeJS.Signals,
  listener: (signal: NodeJS.Signals) => void,
): () => void {
  own.add(listener);
  process.on(signal, listener);
  return () => process.off(signal, listener);
}

/**
 * Whether the program has a handler of its own for a signal (heapler's listeners do not count).
 *
 * @param signal The signal.
 * @returns True when a listener not registered through {@linkcode onSignal} is there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { programHandles } from "./signals.ts";
 * assert(typeof programHandles("SIGINT") === "boolean");
 * ```
 */
export function programHandles(signal: NodeJS.Signals): boolean {
  return process.listeners(signal).some((listener) => !own.has(listener));
}
