import assert from "node:assert/strict";
import { test } from "node:test";
import { graphFromEdges, NO_NODE, reverseIndex } from "../../src/graph/compact_graph.ts";
import { pathFromRoot, retainingPaths, shortestPathTree } from "../../src/graph/paths.ts";

//   0 → 1 → 2 → 3
//   0 → 4 ------↗
//   5 (unreachable) → 3
const graph = graphFromEdges(6, [[0, 1], [1, 2], [2, 3], [0, 4], [4, 3], [5, 3]]);

test("shortestPathTree() finds the fewest edges from the roots", () => {
  const tree = shortestPathTree(graph, [0]);
  assert.deepEqual([...tree.distance], [0, 1, 2, 2, 1, NO_NODE]);
  assert.deepEqual(pathFromRoot(tree, 3).map((e) => graph.edgeTarget[e]), [4, 3]);
  assert.deepEqual(pathFromRoot(tree, 5), []);
});

test("shortestPathTree() follows only the edges the mask allows", () => {
  const mask = Uint8Array.from([1, 1, 1, 1, 0, 1]);
  const tree = shortestPathTree(graph, [0], mask);
  assert.equal(tree.distance[3], 3);
});

test("retainingPaths() enumerates simple paths and reports the limits it hit", () => {
  const reverse = reverseIndex(graph);
  const all = retainingPaths(reverse, 3, (n) => n === 0);
  assert.equal(all.paths.length, 2);
  assert.deepEqual(all.limitsReached, { paths: false, depth: false, nodes: false });
  for (const path of all.paths) assert.equal(graph.edgeTarget[path.at(-1)!], 3);
  const one = retainingPaths(reverse, 3, (n) => n === 0, { maxPaths: 1 });
  assert.equal(one.paths.length, 1);
  assert.equal(one.limitsReached.paths, true);
  const shallow = retainingPaths(reverse, 3, (n) => n === 0, { maxDepth: 2 });
  assert.equal(shallow.paths.length, 1);
  assert.equal(shallow.limitsReached.depth, true);
});

test("retainingPaths() terminates on cycles and deep chains", () => {
  const size = 200_000;
  const chain = graphFromEdges(
    size,
    Array.from({ length: size - 1 }, (_, n) => [n + 1, n] as [number, number]).concat([[
      0,
      size - 1,
    ]]),
  );
  const result = retainingPaths(reverseIndex(chain), 0, (n) => n === size - 1, {
    maxDepth: size + 1,
    maxNodes: size + 1,
  });
  assert.equal(result.paths.length, 1);
  assert.equal(result.paths[0]!.length, size - 1);
});
