import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { graphFromEdges } from "../../src/graph/compact_graph.ts";
import {
  nodesOnCycles,
  stronglyConnectedComponents,
  weaklyConnectedComponents,
} from "../../src/graph/components.ts";
import { propertyOptions } from "../_support/fc.ts";

const randomGraph = fc.integer({ min: 1, max: 20 }).chain((nodeCount) =>
  fc.tuple(
    fc.constant(nodeCount),
    fc.array(fc.tuple(fc.nat(nodeCount - 1), fc.nat(nodeCount - 1)), { maxLength: 2 * nodeCount }),
  )
);

/** Reachability by the textbook closure. */
function reach(nodeCount: number, edges: [number, number][], undirected: boolean): boolean[][] {
  const r = Array.from(
    { length: nodeCount },
    (_, a) => Array.from({ length: nodeCount }, (_, b) => a === b),
  );
  for (const [a, b] of edges) {
    r[a]![b] = true;
    if (undirected) r[b]![a] = true;
  }
  for (let k = 0; k < nodeCount; k++) {
    for (let a = 0; a < nodeCount; a++) {
      for (let b = 0; b < nodeCount; b++) if (r[a]![k] && r[k]![b]) r[a]![b] = true;
    }
  }
  return r;
}

test("weaklyConnectedComponents() partitions the nodes into undirected reachability classes, largest first", () => {
  fc.assert(
    fc.property(randomGraph, ([nodeCount, edges]) => {
      const { component, sizes } = weaklyConnectedComponents(graphFromEdges(nodeCount, edges));
      const r = reach(nodeCount, edges, true);
      for (let a = 0; a < nodeCount; a++) {
        for (let b = 0; b < nodeCount; b++) assert.equal(component[a] === component[b], r[a]![b]);
      }
      assert.equal(sizes.reduce((sum, size) => sum + size, 0), nodeCount);
      for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i - 1]! >= sizes[i]!);
    }),
    propertyOptions(200),
  );
});

test("stronglyConnectedComponents() groups exactly the mutually reachable nodes", () => {
  fc.assert(
    fc.property(randomGraph, ([nodeCount, edges]) => {
      const { component } = stronglyConnectedComponents(graphFromEdges(nodeCount, edges));
      const r = reach(nodeCount, edges, false);
      for (let a = 0; a < nodeCount; a++) {
        for (let b = 0; b < nodeCount; b++) {
          assert.equal(component[a] === component[b], r[a]![b]! && r[b]![a]!);
        }
      }
    }),
    propertyOptions(200),
  );
});

test("nodesOnCycles() keeps every node on a cycle and nothing else (Pympler's reduce)", () => {
  fc.assert(
    fc.property(randomGraph, ([nodeCount, edges]) => {
      const marks = nodesOnCycles(graphFromEdges(nodeCount, edges));
      const r = reach(nodeCount, edges, false);
      for (let node = 0; node < nodeCount; node++) {
        const onCycle = edges.some(([a, b]) => a === node && r[b]![node]!);
        assert.equal(marks[node] === 1, onCycle);
      }
    }),
    propertyOptions(200),
  );
});

test("components are found without recursion on a 200,000-node chain", () => {
  const size = 200_000;
  const chain = graphFromEdges(
    size,
    Array.from({ length: size }, (_, n) => [n, (n + 1) % size] as [number, number]),
  );
  assert.deepEqual(stronglyConnectedComponents(chain).sizes, [size]);
  assert.deepEqual(weaklyConnectedComponents(chain).sizes, [size]);
});
