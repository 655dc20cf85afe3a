import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { pp, ppTimestamp } from "../../src/format/mod.ts";
import { propertyOptions } from "../_support/fc.ts";

test("pp() matches Pympler's fixtures", () => {
  assert.equal(pp(0), "   0     B");
  assert.equal(pp(1023), "1023     B");
  assert.equal(pp(1024), "1024     B");
  assert.equal(pp(1025), "   1.00 KB");
  assert.equal(pp(10000), "   9.77 KB");
  assert.equal(pp(1048576), "1024.00 KB");
  assert.equal(pp(5 * 1024 ** 3), "   5.00 GB");
  assert.equal(pp(-5000), "-5000     B");
});

test("pp() has PB between TB and EB, and stops at EB", () => {
  assert.equal(pp(2 * 1024 ** 5), "   2.00 PB");
  assert.equal(pp(3 * 1024 ** 6), "   3.00 EB");
  assert.equal(pp(2048 * 1024 ** 6), "2048.00 EB");
});

test("pp() sizes over 2^32 bytes are exact to the shown digits", () => {
  assert.equal(pp(2 ** 32 + 2 ** 31), "   6.00 GB");
});

test("pp(n) parses back to within 0.5 % of n", () => {
  const units: Record<string, number> = { B: 0, KB: 1, MB: 2, GB: 3, TB: 4, PB: 5, EB: 6 };
  fc.assert(
    fc.property(
      fc.oneof(fc.nat(), fc.double({ min: 0, max: 2 ** 62, noNaN: true }).map(Math.floor)),
      (n) => {
        const match = /^\s*(-?[\d.]+) (\w+)$/.exec(pp(n).replace(/\s+B$/, " B"));
        assert.ok(match, `pp(${n}) = ${pp(n)}`);
        const back = Number(match[1]) * 1024 ** units[match[2]!]!;
        assert.ok(
          Math.abs(back - n) <= 0.005 * n + 1e-9,
          `pp(${n}) = ${pp(n)} reads back as ${back}`,
        );
      },
    ),
    propertyOptions(),
  );
});

test("ppTimestamp() formats HH:MM:SS.ss and '' for undefined", () => {
  assert.equal(ppTimestamp(0.72), "00:00:00.72");
  assert.equal(ppTimestamp(3725.5), "01:02:05.50");
  assert.equal(ppTimestamp(undefined), "");
});
