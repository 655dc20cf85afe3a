const SCALES = ["B", "KB", "MB", "GB", "TB", "PB", "EB"] as const;

/**
 * Formats a byte count as Pympler's `pp` does: unscaled as `"%4d     B"` up to and including
 * `base` bytes, then scaled while above `base` as `"%7.2f KB"` and so on up to EB. Negative
 * counts are never scaled.
 *
 * @param bytes The count to format.
 * @param base The step between units.
 * @returns A fixed-layout text such as `"   1.00 KB"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pp } from "heapler/format";
 * assert(pp(0) === "   0     B");
 * assert(pp(1025) === "   1.00 KB");
 * assert(pp(-5000) === "-5000     B");
 * ```
 */
export function pp(bytes: number, base = 1024): string {
  let value = bytes;
  let degree = 0;
  while (value > base && degree < SCALES.length - 1) {
    value /= base;
    degree++;
  }
  const unit = SCALES[degree];
  if (degree === 0) return `${String(Math.trunc(value)).padStart(4)}     ${unit}`;
  return `${value.toFixed(2).padStart(7)} ${unit}`;
}

/**
 * {@linkcode pp} without its padding, for sizes inside a sentence or a cell: `"40 B"`,
 * `"1.00 KB"`.
 *
 * @param bytes The count to format.
 * @returns The text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ppShort } from "heapler/format";
 * assert(ppShort(40) === "40 B");
 * assert(ppShort(1025) === "1.00 KB");
 * ```
 */
export function ppShort(bytes: number): string {
  return pp(bytes).trim().replace(/\s+/g, " ");
}

/**
 * Formats seconds as Pympler's `pp_timestamp`: `HH:MM:SS.ss`, or `""` for `undefined`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ppTimestamp } from "heapler/format";
 * assert(ppTimestamp(3725.5) === "01:02:05.50");
 * ```
 */
export function ppTimestamp(seconds: number | undefined): string {
  if (seconds === undefined) return "";
  const hours = Math.trunc(seconds / 3600);
  const minutes = Math.trunc((seconds / 60) % 60);
  const rest = (seconds % 60).toFixed(2).padStart(5, "0");
  return `${pad2(hours)}:${pad2(minutes)}:${rest}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, "0");
}
