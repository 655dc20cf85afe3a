import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { render, RENDER_NODE_LIMIT, toDot } from "../../src/dot/dot.ts";
import { ReferenceGraph } from "../../src/refgraph/reference_graph.ts";
import { propertyOptions } from "../_support/fc.ts";
import { snapshotWithValues } from "../../src/heap/marker.ts";

test("ReferenceGraph finds references among the given values and splits into components", () => {
  const spam = "spam";
  const values = [42, spam, new Map([[42, spam]]), [1, 2, 3]];
  const graph = new ReferenceGraph(values);
  assert.deepEqual(graph.edges.map((edge) => [edge.from, edge.to, edge.name]), [[2, 0, "[K] 42"], [
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
  assert.ok(graph.edges.some((edge) => edge.name === ".child"));
});

test("fromSnapshot() draws the program: a Map's entries from the Map, no engine structure", async () => {
  class Session {
    constructor(readonly user: string) {}
  }
  const sessions = new Map([["a", new Session("ann")], ["b", new Session("bob")]]);
  const { snapshot, ordinals } = await snapshotWithValues([sessions]);
  const id = snapshot.idOf(ordinals[0]!);
  const graph = ReferenceGraph.fromSnapshot(snapshot, [id], { depth: 2 });
  const classes = graph.nodes.map((node) => node.className);
  if (snapshot.stableIds) { // Bun's snapshots leave a Map's entries out
    assert.equal(classes.filter((name) => name === "Session").length, 2, classes.join());
    assert.ok(
      graph.edges.every((edge) => edge.from === 0 ? /^table\[\d+\]$/.test(edge.name) : true),
    );
  }
  const engine = /\(compiled code\)|\(object shape\)|\(array\)|\(system\)|system \/ Map|feedback/;
  assert.deepEqual(classes.filter((name) => engine.test(name)), []);
  const internals = ReferenceGraph.fromSnapshot(snapshot, [id], { depth: 2, internals: true });
  assert.ok(internals.nodes.some((node) => engine.test(node.className)));
});

test("ReferenceGraph.limited() keeps at most n nodes, the edges among them, and counts the rest", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.tuple(fc.nat(39), fc.nat(39)), { maxLength: 80 }),
      fc.integer({ min: 1, max: 45 }),
      (size, pairs, limit) => {
        const nodes = Array.from({ length: size }, (_, i) => ({
          id: i,
          className: "Object",
          text: String(i),
          kind: "object",
        }));
        const edges = pairs.filter(([from, to]) => from < size && to < size)
          .map(([from, to]) => ({ from, to, name: "." }));
        const graph = ReferenceGraph.fromParts(nodes, edges);
        const { graph: cut, omitted } = graph.limited(limit);
        assert.equal(cut.nodes.length, Math.min(size, limit));
        assert.equal(omitted, size - cut.nodes.length);
        const kept = new Set(cut.nodes.map((node) => node.id));
        const expected =
          edges.filter((edge) => kept.has(nodes[edge.from]!.id) && kept.has(nodes[edge.to]!.id))
            .length;
        assert.equal(cut.edges.length, expected);
        for (const edge of cut.edges) {
          assert.ok(edge.from < cut.nodes.length && edge.to < cut.nodes.length);
        }
      },
    ),
    propertyOptions(),
  );
});

test("render() refuses to lay out more than RENDER_NODE_LIMIT nodes, with a typed error", async () => {
  const nodes = Array.from({ length: RENDER_NODE_LIMIT + 1 }, (_, i) => ({
    id: `N${i}`,
    label: String(i),
    kind: "object" as const,
  }));
  await assert.rejects(render(toDot(nodes, [])), RangeError);
  const drawn = await render(toDot(nodes.slice(0, 20), []));
  assert.match(drawn.output, /<svg/);
});

test("nodes are typed data (id, class, text, kind); DOT labels are made only when drawing", () => {
  const shared = { name: "shared" };
  const graph = new ReferenceGraph([{ shared }, shared, "text"]);
  assert.deepEqual(graph.nodes.map(({ id, className, kind }) => [id, className, kind]), [
    [undefined, "Object", "object"],
    [undefined, "Object", "object"],
    [undefined, "string", "string"],
  ]);
  assert.deepEqual(graph.edges, [{ from: 0, to: 1, name: "shared" }]);
  const dot = graph.toDot();
  assert.match(dot, /"X2" \[ label = "\\"text\\"\\nstring"/);
  const fromSnapshot = ReferenceGraph.fromParts(
    [{ id: 42, className: "Session", text: "Session", kind: "instance" }],
    [],
  );
  assert.match(fromSnapshot.toDot(), /"X42" \[ label = "Session\\n@42"/);
});

test("reduced() keeps exactly the nodes onCycles() marks, with the edges among them", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 30 }),
      fc.array(fc.tuple(fc.nat(29), fc.nat(29)), { maxLength: 60 }),
      (size, pairs) => {
        const nodes = Array.from({ length: size }, (_, i) => ({
          id: i,
          className: "Object",
          text: String(i),
          kind: "object",
        }));
        const edges = pairs.filter(([from, to]) => from < size && to < size)
          .map(([from, to]) => ({ from, to, name: "." }));
        const graph = ReferenceGraph.fromParts(nodes, edges);
        const marks = graph.onCycles();
        const reduced = graph.reduced();
        assert.deepEqual(
          reduced.nodes.map((node) => node.id),
          nodes.filter((_, i) => marks[i] === 1).map((node) => node.id),
        );
        const kept = new Set(reduced.nodes.map((node) => node.id));
        assert.equal(
          reduced.edges.length,
          edges.filter((edge) => kept.has(edge.from) && kept.has(edge.to)).length,
        );
      },
    ),
    propertyOptions(),
  );
});

test("render() lays many components out in rows: thirty cycles make a block, each with its labels", async () => {
  const nodes = Array.from({ length: 60 }, (_, i) => ({
    id: i,
    className: i % 2 === 0 ? "Context" : "Reply",
    text: i % 2 === 0 ? "Context" : "Reply",
    kind: "instance",
  }));
  const edges = Array.from({ length: 30 }, (_, i) => [
    { from: 2 * i, to: 2 * i + 1, name: ".reply" },
    { from: 2 * i + 1, to: 2 * i, name: ".context" },
  ]).flat();
  const svg = await ReferenceGraph.fromParts(nodes, edges).toSvg();
  const [, width, height] = /^<svg[^>]* width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg)!;
  assert.ok(Number(width) < 3 * Number(height), `${width} × ${height}`);
  assert.equal(svg.match(/<g id="node\d+" class="node">/g)?.length, 60);
  assert.equal(svg.match(/>\.reply</g)?.length, 30, "every edge keeps its label");
});
