import assert from "node:assert/strict";
import { test } from "node:test";
import { asizeof } from "../../src/sizeof/asizeof.ts";
import { exactSizeof } from "../../src/sizeof/mod.ts";
import { collectGarbage, engineMemory } from "../../src/runtime/mod.ts";
import { expectedRuntime } from "../_support/runtime.ts";

const onBun = expectedRuntime === "bun";

class Point {
  constructor(readonly x: number, readonly y: number) {}
}

test("exactSizeof() measures what reflection cannot see: a closure's captured data", {
  skip: onBun ? "Bun's snapshots leave out array storage and Map entries (measured)" : false,
}, async () => {
  const makeCounter = () => {
    const captured = Array.from({ length: 10_000 }, () => "c").join("");
    return () => captured.length;
  };
  const closure = makeCounter();
  const [measured] = await exactSizeof([closure]);
  assert.ok(measured!.size > 10_000, JSON.stringify(measured));
  assert.ok(asizeof(closure) < 1000, "the estimate cannot see closure variables");
  const [none] = await exactSizeof([7]);
  assert.equal(none!.size, 0); // a small integer: no heap object (Deno lists a 0-byte node)
});

test("exactSizeof() says when the snapshot leaves out part of a value: a Map of 1,000 objects on Bun", async () => {
  const map = new Map(Array.from({ length: 1000 }, (_, i) => [i, { id: i, name: `item ${i}` }]));
  const small = { text: "a string of its own, 40 characters long" };
  const [ofMap, ofObject] = await exactSizeof([map, small]);
  assert.ok(ofObject!.complete, JSON.stringify(ofObject));
  if (onBun) {
    assert.equal(ofMap!.complete, false, JSON.stringify(ofMap));
  } else {
    assert.ok(ofMap!.complete && ofMap!.objects > 2000, JSON.stringify(ofMap));
  }
});

test("on Bun, asizeof() follows the heap growth of 5,000 copies, within 10% at the median", {
  skip: onBun ? false : "V8 is checked against heap snapshots (previous test)",
}, () => {
  const kinds: Record<string, () => unknown> = {
    empty: () => ({}),
    object4: () => JSON.parse('{"a":1,"b":2,"c":3,"d":4}'),
    object8: () => JSON.parse('{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8}'),
    instance: () => new Point(1, 2),
    ints10: () => Array.from({ length: 10 }, (_, i) => i),
    objects10: () => Array.from({ length: 10 }, () => ({})),
    map10: () => new Map(Array.from({ length: 10 }, (_, i) => [i, i])),
    set10: () => new Set(Array.from({ length: 10 }, (_, i) => i)),
    date: () => new Date(),
    bigint: () => 2n ** 200n + BigInt(Math.floor(Math.random() * 1000)),
    closure: () => () => 1,
    bytes1k: () => new Uint8Array(1024),
    wide: () => Array.from({ length: 50 }, (_, i) => String.fromCharCode(0x4e00 + i)).join(""),
  };
  const errors: number[] = [];
  for (const make of Object.values(kinds)) {
    const count = 5000;
    collectGarbage();
    const before = engineMemory().heapUsed!;
    const keep = Array.from({ length: count }, make);
    collectGarbage();
    const growth = (engineMemory().heapUsed! - before) / count - 8; // minus the array slot
    errors.push(Math.abs(asizeof(keep[0]) - growth) / growth);
  }
  errors.sort((a, b) => a - b);
  const median = errors[Math.floor(errors.length / 2)]!;
  assert.ok(
    median <= 0.1,
    `median error ${(median * 100).toFixed(1)}%: ${errors.map((e) => e.toFixed(2))}`,
  );
});
