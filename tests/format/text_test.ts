import assert from "node:assert/strict";
import { test } from "node:test";
import { clip } from "../../src/format/internal.ts";
import { trunc } from "../../src/format/mod.ts";

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
