import { escapeXml, textWidth } from "../format/internal.ts";
import { ppShort } from "../format/mod.ts";
import { type Rect, squarify } from "../graph/mod.ts";
import { scopeScript, selectedNodes } from "../heap/internal.ts";
import type { HeapSnapshot } from "../heap/mod.ts";
import { globalObjects } from "./insights.ts";

/** Options of {@linkcode ownersTreemap}. */
export interface TreemapOptions {
  /** Owners drawn. @default 24 */
  limit?: number;
  /** The parts drawn inside each owner. @default 8 */
  parts?: number;
  /** The picture's width in pixels. @default 960 */
  width?: number;
  /** The picture's height in pixels. @default 600 */
  height?: number;
}

/** One box of the treemap: a node, its retained size, and where it is drawn. */
export interface TreemapBox {
  /** The object's id, or -1 for the rest of an owner (its smaller parts and itself). */
  id: number;
  /** What the box says: the object's type, or `(the rest)`. */
  label: string;
  /** Its retained size. */
  size: number;
  rect: Rect;
  /** The owner's parts (empty for a part). */
  parts: TreemapBox[];
}

/** The labels' font size, in pixels. */
const FONT_SIZE = 12;
const LINE = 14;
/** The band at the top of an owner that holds its label. */
const HEADER = 18;

/**
 * The objects that keep the most memory alive, as boxes with areas in proportion to their
 * retained sizes: the largest owners (program objects none of which holds another), each split
 * into the largest parts it alone holds. A module's scope is named by its script.
 *
 * @param snapshot The snapshot.
 * @param options How many owners and parts, and the picture's size.
 * @returns The owners' boxes, largest first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ownerBoxes } from "heapler/insights";
 * import { snapshotWithValues } from "heapler/heap";
 * class Cache { entries = Array.from({ length: 10_000 }, (_, i) => ({ i })); }
 * const cache = new Cache();
 * const { snapshot } = await snapshotWithValues([cache]);
 * const boxes = ownerBoxes(snapshot);
 * assert(boxes.some((box) => box.label === "Cache" || box.parts.some((part) => part.label === "Cache")));
 * ```
 */
export function ownerBoxes(snapshot: HeapSnapshot, options: TreemapOptions = {}): TreemapBox[] {
  const { limit = 24, parts = 8, width = 960, height = 600 } = options;
  const listed = selectedNodes(snapshot, { programOnly: true });
  const retained = snapshot.retainedSizes;
  const { dominator } = snapshot.dominators;
  const globals = new Set(globalObjects(snapshot));
  // The largest listed nodes, then those no chosen one dominates: a dominator comes before what
  // it dominates, being at least as large.
  const candidates: number[] = [];
  for (let node = 0; node < snapshot.nodeCount; node++) {
    if (listed[node] === 1 && !globals.has(node)) candidates.push(node);
  }
  candidates.sort((a, b) => retained[b]! - retained[a]!);
  const chosen = new Set<number>();
  for (const node of candidates) {
    if (chosen.size === limit) break;
    let up = dominator[node]!;
    while (up !== snapshot.root && !chosen.has(up) && dominator[up] !== up) up = dominator[up]!;
    if (!chosen.has(up)) chosen.add(node);
  }
  const owners = [...chosen];
  const rects = squarify(owners.map((node) => retained[node]!), { x: 0, y: 0, width, height });
  const children = dominatedChildren(snapshot, owners, listed);
  return owners.map((owner, index) => {
    const rect = rects[index]!;
    const inner = {
      x: rect.x,
      y: rect.y + HEADER,
      width: rect.width,
      height: rect.height - HEADER,
    };
    const largest = (children.get(owner) ?? []).sort((a, b) => retained[b]! - retained[a]!)
      .slice(0, parts);
    const rest = retained[owner]! - largest.reduce((sum, node) => sum + retained[node]!, 0);
    const partRects = inner.height > HEADER
      ? squarify([...largest.map((node) => retained[node]!), rest], inner)
      : [];
    return {
      id: snapshot.idOf(owner),
      label: boxLabel(snapshot, owner),
      size: retained[owner]!,
      rect,
      parts: partRects.map((partRect, at) => ({
        id: at < largest.length ? snapshot.idOf(largest[at]!) : -1,
        label: at < largest.length ? boxLabel(snapshot, largest[at]!) : "(the rest)",
        size: at < largest.length ? retained[largest[at]!]! : rest,
        rect: partRect,
        parts: [],
      })).filter(({ size }) => size > 0),
    };
  });
}

/**
 * {@linkcode ownerBoxes} drawn as SVG: owners in colours by type, their parts inside, each box
 * labelled with its type and retained size where the label fits (every box has a tooltip).
 *
 * @param snapshot The snapshot.
 * @param options How many owners and parts, and the picture's size.
 * @returns The SVG text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ownersTreemap } from "heapler/insights";
 * import { HeapSnapshot } from "heapler/heap";
 * import { takeHeapSnapshot } from "heapler/runtime";
 * const svg = ownersTreemap(await HeapSnapshot.parse(takeHeapSnapshot()), { width: 640, height: 400 });
 * assert(svg.startsWith("<svg") && svg.includes('viewBox="0 0 640 400"'));
 * ```
 */
export function ownersTreemap(snapshot: HeapSnapshot, options: TreemapOptions = {}): string {
  const { width = 960, height = 600 } = options;
  const boxes = ownerBoxes(snapshot, options);
  const drawn = boxes.map((owner) => {
    const hue = hueOf(owner.label);
    const parts = owner.parts.map((part) =>
      box(part, `hsl(${hue} 45% ${part.id < 0 ? 88 : 78}%)`, false)
    ).join("");
    return `<g>${box(owner, `hsl(${hue} 45% 90%)`, true)}${parts}</g>`;
  }).join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="${FONT_SIZE}">
${drawn}
</svg>
`;
}

/** One box: its rectangle with a tooltip, and its label where it fits. */
function box(item: TreemapBox, fill: string, owner: boolean): string {
  const { x, y, width, height } = item.rect;
  const size = ppShort(item.size);
  const title = `${item.label}${item.id < 0 ? "" : ` @${item.id}`}: ${size} retained`;
  const lines = fitLines([item.label, size], width, owner ? HEADER : height, owner);
  const text = lines.map((line, at) =>
    `<text x="${fixed(x + 4)}" y="${fixed(y + 12 + at * LINE)}">${escapeXml(line)}</text>`
  ).join("");
  return `<rect x="${fixed(x)}" y="${fixed(y)}" width="${fixed(width)}" height="${
    fixed(height)
  }" fill="${fill}" stroke="#fff" stroke-width="${owner ? 2 : 1}"><title>${
    escapeXml(title)
  }</title></rect>${text}`;
}

/**
 * The label lines that fit a box: type and size on two lines, or on one (an owner's header), or
 * none; a type too long for the box is cut with `…`.
 */
function fitLines(
  [label, size]: [string, string],
  width: number,
  height: number,
  oneLine: boolean,
): string[] {
  const room = width - 8;
  const fits = (text: string) => textWidth(text, FONT_SIZE) <= room;
  const cut = (text: string) => {
    if (fits(text)) return text;
    let kept = text;
    while (kept.length > 0 && !fits(`${kept}…`)) kept = kept.slice(0, -1);
    return kept.length >= 3 ? `${kept}…` : "";
  };
  const lines = (...texts: string[]) => texts.filter((text) => text !== "");
  if (oneLine) {
    if (height < HEADER) return [];
    const both = `${label} ${size}`;
    return fits(both) ? [both] : lines(cut(label));
  }
  if (height < LINE + 4) return [];
  if (height < 2 * LINE + 4) return lines(cut(label));
  const first = cut(label);
  return first === "" ? [] : lines(first, fits(size) ? size : "");
}

/** Each owner's children in the dominator tree that a summary lists. */
function dominatedChildren(
  snapshot: HeapSnapshot,
  owners: readonly number[],
  listed: Uint8Array,
): Map<number, number[]> {
  const wanted = new Set(owners);
  const { dominator } = snapshot.dominators;
  const children = new Map<number, number[]>();
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const parent = dominator[node]!;
    if (parent === node || !wanted.has(parent) || listed[node] !== 1) continue;
    const list = children.get(parent);
    if (list === undefined) children.set(parent, [node]);
    else list.push(node);
  }
  return children;
}

/** A box's type: the class, `closure (name)`, or a scope named by its script. */
function boxLabel(snapshot: HeapSnapshot, node: number): string {
  if (snapshot.typeOf(node) === "closure") {
    return `closure (${snapshot.nameOf(node) || "anonymous"})`;
  }
  const className = snapshot.classNameOf(node);
  if (className === "system / Context") {
    const script = scopeScript(snapshot, node);
    if (script !== undefined) return `scope of ${script.split("/").pop()}`;
  }
  return className;
}

/** A hue for a type, the same for the same type in every picture. */
function hueOf(label: string): number {
  let hash = 0;
  for (let at = 0; at < label.length; at++) hash = (hash * 31 + label.charCodeAt(at)) >>> 0;
  return hash % 360;
}

function fixed(value: number): string {
  return value.toFixed(1);
}
