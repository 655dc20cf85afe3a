import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type Rect, squarify } from "../../src/graph/mod.ts";
import { HeapSnapshot } from "../../src/heap/mod.ts";
import { ownerBoxes, ownersTreemap } from "../../src/insights/mod.ts";
import { takeHeapSnapshot } from "../../src/runtime/mod.ts";
import { propertyOptions } from "../_support/fc.ts";
import { buildSnapshot } from "../_support/snapshot_builder.ts";
import { WASTEFUL_PROGRAM } from "../_support/insight_programs.ts";

const area = ({ width, height }: Rect) => width * height;

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

test("squarify tiles its bounds: areas in proportion to the weights, inside, without overlap", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0.01, max: 1000, noNaN: true }), { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 10, max: 2000 }),
      fc.integer({ min: 10, max: 2000 }),
      (weights, width, height) => {
        const bounds = { x: 5, y: 7, width, height };
        const rects = squarify([...weights].sort((a, b) => b - a), bounds);
        const total = weights.reduce((sum, weight) => sum + weight, 0);
        const sorted = [...weights].sort((a, b) => b - a);
        const epsilon = 1e-6 * area(bounds);
        rects.forEach((rect, i) => {
          assert.ok(Math.abs(area(rect) - (sorted[i]! / total) * area(bounds)) <= epsilon);
          assert.ok(rect.x >= bounds.x - 1e-6 && rect.y >= bounds.y - 1e-6);
          assert.ok(rect.x + rect.width <= bounds.x + width + 1e-6);
          assert.ok(rect.y + rect.height <= bounds.y + height + 1e-6);
          for (let j = 0; j < i; j++) assert.ok(overlap(rect, rects[j]!) <= epsilon);
        });
      },
    ),
    propertyOptions(),
  );
  assert.deepEqual(squarify([0, -1], { x: 0, y: 0, width: 10, height: 10 }).map(area), [0, 0]);
});

test("ownerBoxes of a hand-built heap: the owners none of which holds another, with their parts", async () => {
  const snapshot = await HeapSnapshot.parse(
    new TextEncoder().encode(buildSnapshot(WASTEFUL_PROGRAM)),
  );
  const boxes = ownerBoxes(snapshot, { width: 400, height: 300 });
  assert.deepEqual(boxes.map(({ label, size }) => [label, size]), [
    ["closure (onTick)", 1108],
    ["Array", 276],
    ["Object", 40],
    ["closure (Array)", 32],
  ]);
  const total = 1108 + 276 + 40 + 32;
  for (const box of boxes) {
    assert.ok(Math.abs(area(box.rect) - (box.size / total) * 400 * 300) < 1e-6);
  }
  // onTick holds its scope, which holds the buffer.
  assert.equal(boxes[0]!.parts[0]!.label, "scope of app.js");
  assert.equal(boxes[0]!.parts[0]!.size, 1024);
});

test("ownersTreemap of this program: every label inside its box, and the picture's size as asked", async () => {
  const cache = new Map(Array.from({ length: 20_000 }, (_, i) => [i, { payload: `entry ${i}` }]));
  const svg = ownersTreemap(await HeapSnapshot.parse(takeHeapSnapshot()), {
    width: 800,
    height: 500,
  });
  assert.match(svg, /^<svg [^>]*viewBox="0 0 800 500"/);
  const number = (text: string, name: string) =>
    Number(new RegExp(`${name}="([\\d.]+)"`).exec(text)![1]);
  let rect: Rect | undefined;
  let labels = 0;
  for (const [element] of svg.matchAll(/<rect [^>]*>|<text [^>]*>[^<]*<\/text>/g)) {
    if (element.startsWith("<rect")) {
      rect = {
        x: number(element, "x"),
        y: number(element, "y"),
        width: number(element, "width"),
        height: number(element, "height"),
      };
      assert.ok(
        rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= 800.1 && rect.y + rect.height <= 500.1,
      );
      continue;
    }
    const text = element.replace(/<[^>]+>/g, "").replace(/&[a-z]+;/g, "&");
    const [x, baseline] = [number(element, "x"), number(element, "y")];
    // Each label starts inside its box, its line within the box (12 px above the baseline, 3
    // below); the drawn widths are measured in Chromium (tests/refgraph/pictures_browser_test.ts).
    assert.ok(rect !== undefined);
    assert.ok(x <= rect.x + rect.width, `"${text}" starts outside its box`);
    assert.ok(
      baseline - 12 >= rect.y - 0.1 && baseline + 3 <= rect.y + rect.height + 0.1,
      `"${text}" overflows`,
    );
    labels++;
  }
  assert.ok(labels >= 2, "the largest boxes are labelled");
  assert.ok(cache.size === 20_000);
});
