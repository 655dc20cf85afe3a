import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReferenceGraph } from "../../graph/reference_graph.ts";
import { snapshotWithValues } from "../../src/heap/marker.ts";

test("ReferenceGraph finds references among the given values and splits into components (case 38)", () => {
  const spam = "spam";
  const values = [42, spam, new Map([[42, spam]]), [1, 2, 3]];
  const graph = new ReferenceGraph(values);
  assert.deepEqual(graph.edges.map((edge) => [edge.from, edge.to, edge.label]), [[2, 0, "[K] 42"], [
    2,
    1,
    "[V] 42",
  ]]);
  const parts = graph.split();
  assert.deepEqual(parts.map((part) => part.nodes.length), [3, 1]);
  assert.match(graph.toDot(), /"X2" -> "X1" \[label="\[V\] 42"\];/);
});

test("ReferenceGraph({ reduce: true }) keeps only values on cycles, and draws nothing without one", () => {
  const a: Record<string, unknown> = { name: "a" };
  const b: Record<string, unknown> = { name: "b", a };
  a.b = b;
  const self: Record<string, unknown> = {};
  self.self = self;
  const leaf = { leaf: true };
  const reduced = new ReferenceGraph([a, b, self, leaf, { leaf }], { reduce: true });
  assert.equal(reduced.nodes.length, 3);
  assert.equal(new ReferenceGraph([leaf, { leaf }], { reduce: true }).nodes.length, 0);
});

test("ReferenceGraph.render() writes SVG or DOT atomically and returns false with nothing to draw", async () => {
  const directory = await mkdtemp(join(tmpdir(), "heapler-refgraph-"));
  try {
    const key = "<script>alert(1)</script>";
    const target = { [key]: "x" };
    const graph = new ReferenceGraph([{ [key]: target }, target]);
    assert.equal(await graph.render(join(directory, "g.svg")), true);
    const svg = await readFile(join(directory, "g.svg"), "utf8");
    assert.equal(svg.match(/class="node"/g)?.length, 2);
    assert.ok(!svg.includes("<script>"));
    await graph.writeGraph(join(directory, "g.dot"));
    assert.match(
      await readFile(join(directory, "g.dot"), "utf8"),
      /^\/\/ Process this file with graphviz/,
    );
    assert.equal(await new ReferenceGraph([]).render(join(directory, "none.svg")), false);
    assert.deepEqual((await readdir(directory)).sort(), ["g.dot", "g.svg"]);
  } finally {
    await rm(directory, { recursive: true });
  }
});

test("ReferenceGraph.fromSnapshot() draws the neighbourhood of snapshot nodes", async () => {
  const child = { label: "child" };
  const parent = { child, list: [child] };
  const { snapshot, ordinals } = await snapshotWithValues([parent]);
  const graph = ReferenceGraph.fromSnapshot(snapshot, [snapshot.idOf(ordinals[0]!)], { depth: 1 });
  assert.ok(graph.nodes.length >= 2);
  assert.ok(graph.edges.some((edge) => edge.label === ".child"));
});
