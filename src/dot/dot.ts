import { escapeDot, textWidth } from "../format/internal.ts";
import { trunc } from "../format/mod.ts";

/** A node to draw. */
export interface DotNode {
  /** A unique id, used only inside the DOT text. */
  id: string;
  /** The text of the node: any characters, `\n` between lines; each line clipped to 48, escaped. */
  label: string;
  /** Its kind, which picks its colour: `object`, `array`, `closure`, `string`, `instance`, ... */
  kind: string;
}

/** An edge to draw, between positions in the node list. */
export interface DotEdge {
  from: number;
  to: number;
  /** A property name, an index, `[key]` or `[value]`: any characters; escaped. */
  label: string;
}

/** Fill colours by node kind; Pympler's `#E5EDB8` for anything else. */
const FILL: Record<string, string> = {
  object: "#E5EDB8",
  instance: "#CDE7F0",
  array: "#F5E3B3",
  closure: "#E8D5F0",
  string: "#F0F0F0",
  map: "#D5F0DC",
  native: "#F3D0C8",
};

/** The font of nodes and edges. */
const FONT = "Helvetica";
/** The size of node labels, in points. */
const NODE_FONT_SIZE = 11;
/** The size edge labels are drawn at, in points. */
const EDGE_FONT_SIZE = 9;
/**
 * The size edge labels are laid out at, so that Graphviz, which measures them in Helvetica, keeps
 * room for a wider fallback font (DejaVu Sans draws common text up to a quarter wider); the
 * drawing is set back to {@linkcode EDGE_FONT_SIZE} by {@linkcode render}.
 */
const EDGE_LAYOUT_FONT_SIZE = 11.25;
/** The room Graphviz leaves each side of a node's label, in points (its 0.11 inch margin). */
const NODE_MARGIN = 8;

/** The longest label line Pympler draws. */
export const LABEL_LENGTH = 48;

/**
 * Writes a graph in DOT, Pympler's layout: `node [shape=box]`, one quoted declaration per node
 * with its label and colour, one line per edge with its label. Every label is clipped and
 * escaped, so no property name or string can end the DOT text or inject markup.
 *
 * @param nodes The nodes.
 * @param edges The edges.
 * @returns The DOT text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { toDot } from "./dot.ts";
 * const dot = toDot([{ id: "a", label: '"};digraph x{', kind: "string" }], []);
 * assert(dot.includes('label = "\\"};digraph x{"'));
 * ```
 */
export function toDot(nodes: readonly DotNode[], edges: readonly DotEdge[]): string {
  const lines = [
    "// Process this file with graphviz",
    "digraph G {",
    // Helvetica: Graphviz knows its widths without the font files (its WebAssembly build has
    // none). A browser without it draws a wider font, so each node is made as wide as the widest
    // of its lines in either, and edge labels are laid out larger than they are drawn.
    "    graph [nodesep=0.6];",
    `    node [shape=box, style="rounded,filled", fontname="${FONT}", fontsize=${NODE_FONT_SIZE}];`,
    `    edge [fontname="${FONT}", fontsize=${EDGE_LAYOUT_FONT_SIZE}, fontcolor="#555555"];`,
  ];
  for (const node of nodes) {
    const fill = FILL[node.kind] ?? FILL.object;
    // Each line clipped on its own, and kept a line (DOT's \n).
    const shown = node.label.split("\n").map((line) => trunc(line, LABEL_LENGTH));
    const label = shown.map(escapeDot).join("\\n");
    const points = Math.max(...shown.map((line) => textWidth(line, NODE_FONT_SIZE)));
    const inches = ((points + 2 * NODE_MARGIN) / 72).toFixed(2);
    lines.push(
      `    "${escapeDot(node.id)}" [ label = "${label}", width=${inches}, fillcolor="${fill}" ];`,
    );
  }
  for (const edge of edges) {
    const from = escapeDot(nodes[edge.from]!.id);
    const to = escapeDot(nodes[edge.to]!.id);
    lines.push(`    "${from}" -> "${to}" [label="${escapeDot(trunc(edge.label, LABEL_LENGTH))}"];`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

/** The output formats the WebAssembly Graphviz writes (no raster formats: it has no PNG). */
export type RenderFormat = "svg" | "ps" | "eps" | "dot" | "json" | "plain";
/** Graphviz layout engines. */
export type LayoutEngine = "dot" | "sfdp" | "fdp" | "neato" | "circo" | "twopi";

/** Options of {@linkcode render}. */
export interface RenderOptions {
  /** The output format. @default "svg" */
  format?: RenderFormat;
  /**
   * The layout engine. By default `dot` for tree-like graphs of up to {@linkcode DOT_NODE_LIMIT}
   * nodes and `sfdp` otherwise: `dot` in WebAssembly lays out a 150-node tree in 0.03 s but
   * takes 15 s for 100 nodes with 3 edges each, and never finishes at 1,000 (measured).
   */
  engine?: LayoutEngine;
  /** Run `unflatten` first, for graphs with many leaves. @default false */
  unflatten?: boolean;
}

/** The most nodes the automatic choice hands to `dot`. */
export const DOT_NODE_LIMIT = 150;

/** Whether the automatic choice hands a graph to `dot`: few nodes, and about one edge each. */
export function suitsDot(nodes: number, edges: number): boolean {
  return nodes <= DOT_NODE_LIMIT && edges <= 1.25 * nodes + 20;
}

/**
 * The most edges whose labels a force-directed engine (`sfdp`, `neato`, ...) draws on the
 * edge; beyond it, each label becomes the edge's tooltip (its SVG `<title>`, shown on hover).
 * Placing labels is what costs: 2,000 nodes with 6,000 labelled edges take `sfdp` 4-5 s, the
 * same graph with tooltips 0.8 s (measured), and thousands of drawn labels overlap unreadably.
 */
export const EDGE_LABEL_LIMIT = 500;

/**
 * The most nodes {@linkcode render} lays out. Layout runs on the calling thread and its time grows
 * faster than the graph: 1,000 nodes take `sfdp` 0.3-0.5 s, 2,000 nodes 0.5-0.9 s (measured on
 * the three runtimes), a 24,000-object garbage group over 5 minutes. Bigger graphs are cut first
 * with `ReferenceGraph.limited()`, or written as DOT or JSON, which need no layout.
 */
export const RENDER_NODE_LIMIT = 1000;

/** What {@linkcode render} made, with which engine, and where edge labels went. */
export interface Rendered {
  output: string;
  /** The engine used: the automatic choice is reported here. */
  engine: LayoutEngine;
  /** `drawn` on the edges, or `tooltips` past {@linkcode EDGE_LABEL_LIMIT} edges. */
  edgeLabels: "drawn" | "tooltips";
}

// deno-lint-ignore no-explicit-any -- the WebAssembly module's object, loaded on first use
let graphviz: Promise<any> | undefined;

/**
 * Lays out and renders DOT text with Graphviz compiled to WebAssembly, loaded once.
 *
 * @param dot The DOT text (see {@linkcode toDot}).
 * @param options Format, engine, unflatten.
 * @returns The rendered text and the engine used.
 * @throws {RangeError} For a graph of more than {@linkcode RENDER_NODE_LIMIT} nodes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { render, toDot } from "./dot.ts";
 * const { output, engine } = await render(toDot([{ id: "a", label: "<b>", kind: "object" }], []));
 * assert(output.includes("&lt;b&gt;") && engine === "dot");
 * ```
 */
export async function render(dot: string, options: RenderOptions = {}): Promise<Rendered> {
  graphviz ??= import("@hpcc-js/wasm-graphviz").then((module) => module.Graphviz.load());
  const edges = count(dot, " -> ");
  const nodes = count(dot, " [ label = ");
  if (nodes > RENDER_NODE_LIMIT) {
    throw new RangeError(
      `Cannot lay out ${nodes} nodes: at most ${RENDER_NODE_LIMIT} are drawn (cut the graph with limited(), or write it as DOT)`,
    );
  }
  const engine = options.engine ?? (suitsDot(nodes, edges) ? "dot" : "sfdp");
  const edgeLabels = engine !== "dot" && edges > EDGE_LABEL_LIMIT ? "tooltips" : "drawn";
  // toDot writes node labels as `[ label = "` and edge labels as `[label="`; an escaped label
  // never holds `" [label="` (its quotes are `\"`), so this finds edge labels only.
  const labelled = edgeLabels === "drawn" ? dot : dot.replaceAll('" [label="', '" [tooltip="');
  const wasm = await graphviz;
  const source = options.unflatten ? wasm.unflatten(labelled, 7) : labelled;
  const output = wasm.layout(source, options.format ?? "svg", engine);
  return { output: drawnAtEdgeFontSize(output), engine, edgeLabels };
}

/**
 * Sets edge labels, laid out at {@linkcode EDGE_LAYOUT_FONT_SIZE}, back to their drawn size in
 * each output format that names it.
 */
function drawnAtEdgeFontSize(output: string): string {
  const layout = String(EDGE_LAYOUT_FONT_SIZE);
  const drawn = String(EDGE_FONT_SIZE);
  return output
    .replaceAll(`font-size="${layout}"`, `font-size="${drawn}"`) // SVG
    .replaceAll(`${layout} /Helvetica set_font`, `${drawn} /Helvetica set_font`) // PostScript
    .replaceAll(`"size": ${EDGE_LAYOUT_FONT_SIZE.toFixed(3)},`, `"size": ${drawn},`) // JSON
    .replaceAll(`"fontsize": "${layout}"`, `"fontsize": "${drawn}"`) // JSON
    .replaceAll(`fontsize=${layout}`, `fontsize=${drawn}`); // DOT
}

/** Occurrences of a marker of {@linkcode toDot}'s output: node declarations or edges. */
function count(dot: string, marker: string): number {
  let found = 0;
  for (let at = dot.indexOf(marker); at >= 0; at = dot.indexOf(marker, at + 1)) found++;
  return found;
}

/** The space between the drawings of a grid, in points. */
const GRID_GAP = 16;

/**
 * Lays SVG drawings out in rows, as one SVG: a graph of many components drawn one by one and
 * placed as a block of about the page's proportions, instead of one row as wide as all of them
 * (Graphviz's own packing drops the edge labels of `dot` layouts, measured). Rows are filled left
 * to right up to about the square root of the total area.
 *
 * @param drawings Whole SVG documents, as {@linkcode render} writes them.
 * @returns One SVG document.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { render, svgGrid, toDot } from "./dot.ts";
 * const one = (await render(toDot([{ id: "a", label: "a", kind: "object" }], []))).output;
 * const grid = svgGrid([one, one, one, one]);
 * assert(grid.startsWith("<svg") && grid.match(/<svg /g)!.length === 5);
 * ```
 */
export function svgGrid(drawings: readonly string[]): string {
  const parts = drawings.map((svg) => {
    const root = /<svg\b[^>]*>/.exec(svg);
    if (root === null) throw new TypeError("Not an SVG document");
    const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(root[0])?.[1];
    const width = parseFloat(attribute("width") ?? "0");
    const height = parseFloat(attribute("height") ?? "0");
    const viewBox = attribute("viewBox") ?? `0 0 ${width} ${height}`;
    const inner = svg.slice(root.index + root[0].length, svg.lastIndexOf("</svg>"));
    return { width, height, viewBox, inner };
  });
  const area = parts.reduce((sum, part) => sum + part.width * part.height, 0);
  const rowWidth = Math.max(...parts.map((part) => part.width), Math.sqrt(area) * 1.4);
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let width = 0;
  const placed: string[] = [];
  for (const part of parts) {
    if (x > 0 && x + part.width > rowWidth) {
      x = 0;
      y += rowHeight + GRID_GAP;
      rowHeight = 0;
    }
    placed.push(
      `<svg x="${x}" y="${y}" width="${part.width}" height="${part.height}" viewBox="${part.viewBox}" overflow="visible">${part.inner}</svg>`,
    );
    width = Math.max(width, x + part.width);
    rowHeight = Math.max(rowHeight, part.height);
    x += part.width + GRID_GAP;
  }
  const height = y + rowHeight;
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}pt" height="${height}pt" viewBox="0 0 ${width} ${height}">\n${
    placed.join("\n")
  }\n</svg>\n`;
}
