import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { graphFromEdges, NO_NODE, reverseIndex } from "../../src/graph/compact_graph.ts";
import { dominatedNodes, dominatorTree, retainedSizes } from "../../src/graph/dominators.ts";
import { propertyOptions } from "../_support/fc.ts";

/** Random graphs in which every node is reachable from node 0, plus extra random edges. */
const reachableGraph = fc.integer({ min: 1, max: 24 }).chain((nodeCount) =>
  fc.tuple(
    fc.constant(nodeCount),
    fc.array(fc.nat(), { minLength: nodeCount, maxLength: nodeCount }),
    fc.array(fc.tuple(fc.nat(nodeCount - 1), fc.nat(nodeCount - 1)), { maxLength: 3 * nodeCount }),
  ).map(([count, parents, extra]) => {
    const edges: [number, number][] = [];
    for (let node = 1; node < count; node++) edges.push([parents[node]! % node, node]);
    return { nodeCount: count, edges: [...edges, ...extra] };
  })
);

/** Dominator sets by the textbook fixpoint: dom(n) = {n} ∪ ⋂ dom(p) over predecessors p. */
function naiveDominators(nodeCount: number, edges: [number, number][]): number[] {
  const all = new Set(Array.from({ length: nodeCount }, (_, n) => n));
  const dom: Set<number>[] = Array.from(
    { length: nodeCount },
    (_, n) => n === 0 ? new Set([0]) : new Set(all),
  );
  let changed = true;
  while (changed) {
    changed = false;
    for (let n = 1; n < nodeCount; n++) {
      const preds = edges.filter(([, to]) => to === n).map(([from]) => from);
      const next = new Set([...dom[preds[0]!]!].filter((d) => preds.every((p) => dom[p]!.has(d))));
      next.add(n);
      if (next.size !== dom[n]!.size) {
        dom[n] = next;
        changed = true;
      }
    }
  }
  // The immediate dominator is the strict dominator that every other strict dominator dominates.
  return dom.map((set, n) => {
    if (n === 0) return 0;
    const strict = [...set].filter((d) => d !== n);
    return strict.find((d) => strict.every((other) => dom[d]!.has(other)))!;
  });
}

test("dominatorTree() equals the naive fixpoint on random graphs", () => {
  fc.assert(
    fc.property(reachableGraph, ({ nodeCount, edges }) => {
      const graph = graphFromEdges(nodeCount, edges);
      const { dominator } = dominatorTree(graph, reverseIndex(graph), 0);
      assert.deepEqual([...dominator], naiveDominators(nodeCount, edges));
    }),
    propertyOptions(200),
  );
});

test("retainedSizes() sums each node's dominated subtree", () => {
  fc.assert(
    fc.property(reachableGraph, fc.array(fc.nat(1000), { minLength: 24 }), (spec, sizes) => {
      const graph = graphFromEdges(spec.nodeCount, spec.edges);
      const tree = dominatorTree(graph, reverseIndex(graph), 0);
      const self = Float64Array.from({ length: spec.nodeCount }, (_, n) => sizes[n]!);
      const retained = retainedSizes(tree, self);
      const dominates = (d: number, n: number): boolean => {
        for (let at = n;; at = tree.dominator[at]!) {
          if (at === d) return true;
          if (at === 0) return false;
        }
      };
      for (let d = 0; d < spec.nodeCount; d++) {
        let expected = 0;
        for (let n = 0; n < spec.nodeCount; n++) if (dominates(d, n)) expected += self[n]!;
        assert.equal(retained[d], expected);
      }
    }),
    propertyOptions(100),
  );
});

test("dominatorTree() ignores masked edges and hangs orphans under the root", () => {
  //   0 → 1 → 2, 0 ⇢ 3 (masked), 3 → 4, 4 → 5, 5 → 4 (a clique only 3 reaches)
  const graph = graphFromEdges(6, [[0, 1], [1, 2], [0, 3], [3, 4], [4, 5], [5, 4]]);
  const mask = Uint8Array.from([1, 0, 1, 1, 1, 1]); // edges by source: 0→1, 0→3, 1→2, …
  const { dominator, order } = dominatorTree(graph, reverseIndex(graph), 0, mask);
  assert.deepEqual([...dominator], [0, 0, 1, 0, 3, 4]);
  assert.equal(order.length, 6);
  // A clique nothing points into: hung under the root node by node.
  const clique = graphFromEdges(3, [[1, 2], [2, 1]]);
  const tree = dominatorTree(clique, reverseIndex(clique), 0);
  assert.equal(tree.dominator[1], 0);
  assert.equal(tree.dominator[2], 0);
});

test("dominatedNodes() lists each node's immediately dominated children", () => {
  const graph = graphFromEdges(4, [[0, 1], [0, 2], [1, 3], [2, 3]]);
  const children = dominatedNodes(dominatorTree(graph, reverseIndex(graph), 0));
  const of = (
    n: number,
  ) => [...children.edgeTarget.subarray(children.firstEdge[n], children.firstEdge[n + 1])];
  assert.deepEqual(of(0).sort(), [1, 2, 3]);
  assert.deepEqual(of(1), []);
});

test("reverseIndex() lists every edge once, under its target", () => {
  fc.assert(
    fc.property(reachableGraph, ({ nodeCount, edges }) => {
      const graph = graphFromEdges(nodeCount, edges);
      const reverse = reverseIndex(graph);
      const seen: string[] = [];
      for (let to = 0; to < nodeCount; to++) {
        for (let r = reverse.firstRetainer[to]!; r < reverse.firstRetainer[to + 1]!; r++) {
          assert.equal(graph.edgeTarget[reverse.retainerEdge[r]!], to);
          seen.push(`${reverse.retainerNode[r]}>${to}`);
        }
      }
      assert.deepEqual(seen.sort(), edges.map(([a, b]) => `${a}>${b}`).sort());
      assert.notEqual(NO_NODE, 0);
    }),
    propertyOptions(100),
  );
});
