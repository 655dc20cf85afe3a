import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { clip, textWidth } from "../../src/format/internal.ts";
import { trunc } from "../../src/format/mod.ts";
import { propertyOptions } from "../_support/fc.ts";

test("trunc() cuts the end, or the start with left, to max characters", () => {
  assert.equal(trunc("abcdefghij", 8), "abcde...");
  assert.equal(trunc("abcdefghij", 8, { left: true }), "...fghij");
  assert.equal(trunc("abc", 8), "abc");
  assert.equal(trunc("a\nb", 8), "a|b");
});

test("clip() keeps both ends within max characters", () => {
  assert.equal(clip("abcdefghijkl", 8), "abcd..kl");
  assert.equal(clip("abcdefghijkl", 8).length, 8);
  assert.equal(clip("short", 8), "short");
});

test("textWidth() adds up character by character, narrow letters under capitals under wide ones", () => {
  assert.equal(textWidth("", 12), 0);
  assert.ok(textWidth("i", 12) < textWidth("a", 12));
  assert.ok(textWidth("a", 12) < textWidth("A", 12));
  assert.ok(textWidth("A", 12) < textWidth("M", 12));
  fc.assert(
    fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 40 }), (a, b, size) => {
      const joined = textWidth(a + b, size);
      return Math.abs(joined - textWidth(a, size) - textWidth(b, size)) < 1e-9 &&
        joined >= 0.4 * size * [...a + b].length;
    }),
    propertyOptions(),
  );
});
