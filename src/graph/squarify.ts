/** A rectangle: its top-left corner and its size. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Lays weights out as a squarified treemap (Bruls, Huizing and van Wijk, 2000): rectangles that
 * tile `bounds` exactly, each with an area in proportion to its weight, as close to squares as
 * rows laid along the shorter side allow. Weights of 0 or less get empty rectangles.
 *
 * @param weights The weights, largest first for the squarest layout.
 * @param bounds The rectangle to fill.
 * @returns One rectangle per weight, in the same order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { squarify } from "./squarify.ts";
 * const [a, b] = squarify([3, 1], { x: 0, y: 0, width: 4, height: 1 });
 * assert(a!.width === 3 && b!.x === 3 && b!.width === 1);
 * ```
 */
export function squarify(weights: readonly number[], bounds: Rect): Rect[] {
  const rects: Rect[] = weights.map(() => ({ x: bounds.x, y: bounds.y, width: 0, height: 0 }));
  const total = weights.reduce((sum, weight) => sum + Math.max(0, weight), 0);
  if (total <= 0 || bounds.width <= 0 || bounds.height <= 0) return rects;
  const scale = (bounds.width * bounds.height) / total;
  const order = weights.map((_, index) => index).filter((index) => weights[index]! > 0);
  let free = { ...bounds };
  let start = 0;
  while (start < order.length) {
    const side = Math.min(free.width, free.height);
    // Grow the row while its worst aspect ratio improves.
    let end = start + 1;
    let rowArea = weights[order[start]!]! * scale;
    let worst = worstRatio(order.slice(start, end).map((i) => weights[i]! * scale), rowArea, side);
    while (end < order.length) {
      const area = weights[order[end]!]! * scale;
      const next = worstRatio(
        order.slice(start, end + 1).map((i) => weights[i]! * scale),
        rowArea + area,
        side,
      );
      if (next > worst) break;
      worst = next;
      rowArea += area;
      end++;
    }
    // Lay the row along the shorter side, then take it off the free rectangle.
    const thickness = rowArea / side;
    let offset = 0;
    for (let k = start; k < end; k++) {
      const length = (weights[order[k]!]! * scale) / thickness;
      rects[order[k]!] = free.width >= free.height
        ? { x: free.x, y: free.y + offset, width: thickness, height: length }
        : { x: free.x + offset, y: free.y, width: length, height: thickness };
      offset += length;
    }
    free = free.width >= free.height
      ? { x: free.x + thickness, y: free.y, width: free.width - thickness, height: free.height }
      : { x: free.x, y: free.y + thickness, width: free.width, height: free.height - thickness };
    start = end;
  }
  return rects;
}

/** The worst aspect ratio of a row of areas laid along a side. */
function worstRatio(areas: readonly number[], total: number, side: number): number {
  const max = Math.max(...areas), min = Math.min(...areas);
  const sideSquared = side * side, totalSquared = total * total;
  return Math.max((sideSquared * max) / totalSquared, totalSquared / (sideSquared * min));
}
