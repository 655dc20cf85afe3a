import assert from "node:assert/strict";
import { test } from "node:test";
import { DOT_NODE_LIMIT, type DotNode, render, toDot } from "../../graph/dot.ts";

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
  assert.deepEqual(dot.split("\n").slice(0, 3), [
    "// Process this file with graphviz",
    "digraph G {",
    "    node [shape=box];",
  ]);
  assert.match(dot, /"n1" \[ label = "x{45}\.\.\.", fillcolor="#F0F0F0" \];/);
  assert.match(dot, /"n0" -> "n1" \[label="\\"quoted\\""\];/);
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
