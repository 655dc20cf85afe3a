/** Options of {@linkcode trunc}. */
export interface TruncOptions {
  /**
   * Cut from the left (`"...tail"`) instead of the right (`"head..."`).
   * @default {false}
   */
  left?: boolean;
}

/**
 * Shortens text to at most `max` characters as Pympler's `trunc`: newlines become `|`, and text
 * that is too long loses its end (or its start, with `left`) to `"..."`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trunc } from "heapler/format";
 * assert(trunc("abcdefghij", 8) === "abcde...");
 * assert(trunc("abcdefghij", 8, { left: true }) === "...fghij");
 * ```
 */
export function trunc(text: string, max: number, options: TruncOptions = {}): string {
  const flat = text.replaceAll("\n", "|");
  if (flat.length <= max) return flat;
  return options.left
    ? "..." + flat.slice(flat.length - max + 3)
    : flat.slice(0, Math.max(0, max - 3)) + "...";
}

/**
 * Clips text to at most `max` characters keeping both ends, as Pympler's `safe_repr`:
 * `head + ".." + last two characters`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clip } from "./internal.ts";
 * assert(clip("abcdefghijkl", 8) === "abcd..kl");
 * assert(clip("short", 8) === "short");
 * ```
 */
export function clip(text: string, max: number): string {
  if (max <= 0 || text.length <= max) return text;
  return text.slice(0, Math.max(0, max - 4)) + ".." + text.slice(-2);
}

/**
 * The width of a line of text in a sans-serif font of `size` (pixels or points: the result is in
 * the same unit), character by character, as wide as the wider of Helvetica and DejaVu Sans (what
 * a browser on Linux draws when Helvetica is missing) would draw it: narrow letters and
 * punctuation, wide ones, capitals and the rest. An upper bound, for fitting text in boxes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textWidth } from "./internal.ts";
 * assert(textWidth("Mi", 10) === 14);
 * ```
 */
export function textWidth(text: string, size: number): number {
  let ems = 0;
  for (const character of text) {
    ems += /[ijlft.,:;'|!()[\] ]/.test(character)
      ? 0.4
      : /[mwMW…@%]/.test(character)
      ? 1
      : /[A-Z]/.test(character)
      ? 0.75
      : 0.65;
  }
  return ems * size;
}
