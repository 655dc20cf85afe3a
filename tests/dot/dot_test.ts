import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DOT_NODE_LIMIT,
  type DotNode,
  EDGE_LABEL_LIMIT,
  render,
  toDot,
} from "../../src/dot/dot.ts";

const hostile = [
  "<script>alert(1)</script>",
  '"};digraph x{',
  "back\\slash\nnew line",
  "<img src=x onerror=alert(1)>",
];

test("toDot() writes Pympler's layout with every label clipped and escaped", () => {
  const nodes: DotNode[] = [
    { id: "n0", label: "42", kind: "object" },
    { id: "n1", label: "x".repeat(100), kind: "string" },
  ];
  const dot = toDot(nodes, [{ from: 0, to: 1, label: '"quoted"' }]);
  assert.deepEqual(dot.split("\n").slice(0, 2), [
    "// Process this file with graphviz",
    "digraph G {",
  ]);
  // Filled boxes, in a font whose widths Graphviz knows without font files.
  assert.match(dot, /node \[shape=box, style="rounded,filled", fontname="Helvetica"/);
  assert.match(dot, /"n1" \[ label = "x{45}\.\.\.", width=\d+\.\d\d, fillcolor="#F0F0F0" \];/);
  assert.match(dot, /"n0" -> "n1" \[label="\\"quoted\\""\];/);
  const twoLines = toDot([{ id: "n", label: `${"y".repeat(60)}\n@7`, kind: "object" }], []);
  assert.match(twoLines, /label = "y{45}\.\.\.\\n@7"/); // each line clipped, a line break kept
});

test("toDot() makes each node as wide as its widest line in a browser's fallback font", () => {
  const widths = toDot([
    { id: "narrow", label: "iiii\n@1", kind: "object" },
    { id: "wide", label: "MMMM\n@1", kind: "object" },
  ], []).matchAll(/width=(\d+\.\d\d)/g);
  // 4 × 0.4 em and 4 × 1 em at 11 pt, with Graphviz's 8 pt margin each side, in inches.
  assert.deepEqual([...widths].map((match) => Number(match[1])), [0.47, 0.83]);
});

test("render() lays edge labels out with room for a wider font and draws them at 9 points", async () => {
  const dot = toDot(
    [{ id: "a", label: "a", kind: "object" }, { id: "b", label: "b", kind: "object" }],
    [{ from: 0, to: 1, label: "edge" }],
  );
  assert.match(dot, /edge \[fontname="Helvetica", fontsize=11\.25/);
  const svg = (await render(dot)).output;
  assert.match(svg, /font-size="9"[^>]*>edge</);
  assert.ok(!svg.includes("11.25"));
  assert.match((await render(dot, { format: "ps" })).output, /\n9 \/Helvetica set_font/);
  assert.match((await render(dot, { format: "json" })).output, /"fontsize": "9"/);
});

test("render() draws hostile labels as text in valid SVG, one node group per node", async () => {
  const nodes = hostile.map((label, i) => ({ id: `n${i}`, label, kind: "object" }));
  const { output, engine } = await render(toDot(nodes, [{ from: 0, to: 1, label: "<b>&</b>" }]));
  assert.equal(engine, "dot");
  assert.equal(output.match(/<g id="node\d+" class="node">/g)?.length, nodes.length);
  assert.ok(!output.includes("<script>"), "no script element");
  assert.ok(!output.includes("<img"), "no image element");
  assert.ok(output.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(
    output.includes("\\&quot;};digraph x{") || output.includes('\\"};digraph x{') ||
      output.includes("&quot;};digraph x{"),
  );
  assert.ok(output.trimEnd().endsWith("</svg>"));
});

test("render() writes PostScript and DOT, and picks sfdp for big graphs", async () => {
  const small = toDot([{ id: "a", label: "a", kind: "object" }, {
    id: "b",
    label: "b",
    kind: "array",
  }], [
    { from: 0, to: 1, label: "0" },
  ]);
  assert.match((await render(small, { format: "ps" })).output, /^%!PS/);
  assert.match((await render(small, { format: "eps" })).output, /^%!PS-Adobe-3\.0 EPSF/);
  assert.match((await render(small, { format: "dot", unflatten: true })).output, /digraph G/);
  const count = DOT_NODE_LIMIT + 50;
  const nodes = Array.from(
    { length: count },
    (_, i) => ({ id: `n${i}`, label: String(i), kind: "object" }),
  );
  const edges = nodes.map((_, i) => ({ from: i, to: (i + 1) % count, label: "" }));
  const big = await render(toDot(nodes, edges));
  assert.equal(big.engine, "sfdp");
  assert.equal(big.output.match(/class="node"/g)?.length, count);
  // Few nodes but three edges each: dot would take seconds, so sfdp.
  const dense = nodes.slice(0, 40);
  const denseEdges = dense.flatMap((_, i) =>
    [1, 2, 3].map((k) => ({ from: i, to: (i * 7 + k) % 40, label: "" }))
  );
  assert.equal((await render(toDot(dense, denseEdges))).engine, "sfdp");
});

test("render() draws edge labels up to EDGE_LABEL_LIMIT edges and makes them tooltips beyond", async () => {
  const graph = (edgeCount: number) => {
    const nodes = Array.from(
      { length: edgeCount },
      (_, i) => ({ id: `n${i}`, label: `"}n${i}`, kind: "object" }),
    );
    const edges = nodes.map((_, i) => ({ from: i, to: (i * 7 + 1) % edgeCount, label: `.p${i}` }));
    return toDot(nodes, edges);
  };
  const few = await render(graph(300), { engine: "sfdp" });
  assert.equal(few.edgeLabels, "drawn");
  assert.match(few.output, /<text[^>]*>\.p299<\/text>/);
  const many = await render(graph(EDGE_LABEL_LIMIT + 1));
  assert.deepEqual([many.engine, many.edgeLabels], ["sfdp", "tooltips"]);
  assert.match(many.output, /xlink:title="\.p17"/);
  assert.doesNotMatch(many.output, />\.p17</);
  assert.equal(many.output.match(/class="node"/g)?.length, EDGE_LABEL_LIMIT + 1);
  assert.match(many.output, />&quot;\}n3</);
});
