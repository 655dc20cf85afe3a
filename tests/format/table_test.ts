import assert from "node:assert/strict";
import { test } from "node:test";
import { formatTable, pp } from "../../src/format/mod.ts";

test("formatTable() lays out Pympler's summary table", () => {
  const lines = formatTable([
    ["types", "# objects", "total size"],
    ["__main__.Widget", "100", pp(5601)],
    ["list", "2", pp(1000)],
    ["dict", "1", pp(184)],
  ]);
  assert.deepEqual(lines, [
    "            types |   # objects |   total size",
    "================= | =========== | ============",
    "  __main__.Widget |         100 |      5.47 KB",
    "             list |           2 |   1000     B",
    "             dict |           1 |    184     B",
  ]);
});

test("formatTable() of a header alone prints header and border", () => {
  assert.deepEqual(formatTable([["types", "# objects"]]), [
    "  types |   # objects",
    "======= | ===========",
  ]);
});

test("formatTable() without a header has no border", () => {
  assert.deepEqual(formatTable([["a", "bb"]], { header: false }), ["  a |   bb"]);
});

test("formatTable() of no rows is empty", () => {
  assert.deepEqual(formatTable([]), []);
});
