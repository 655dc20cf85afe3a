/**
 * Retaining paths: the shortest path from the roots to every node (one breadth-first search),
 * and bounded enumeration of several paths to one node that says what cut it short.
 *
 * @module
 */

import { type CompactGraph, type EdgeMask, NO_NODE, type ReverseIndex } from "./compact_graph.ts";

/** The breadth-first tree from a set of roots. */
export interface ShortestPathTree {
  /** The edge that first reached each node, or `NO_NODE` (roots and unreachable nodes). */
  readonly parentEdge: Uint32Array;
  /** The node that edge starts from, or `NO_NODE`. */
  readonly parentNode: Uint32Array;
  /** The number of edges from the nearest root, or `NO_NODE` if unreachable. */
  readonly distance: Uint32Array;
}

/**
 * Finds a shortest path from the roots to every node with one breadth-first search.
 *
 * @param graph The graph.
 * @param roots Where the search starts, nearest first.
 * @param essential Which edges may be followed.
 * @returns The search tree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges } from "./compact_graph.ts";
 * import { pathFromRoot, shortestPathTree } from "./paths.ts";
 * const tree = shortestPathTree(graphFromEdges(3, [[0, 1], [1, 2], [0, 2]]), [0]);
 * assert(tree.distance[2] === 1 && pathFromRoot(tree, 2).length === 1);
 * ```
 */
export function shortestPathTree(
  graph: CompactGraph,
  roots: Iterable<number>,
  essential?: EdgeMask,
): ShortestPathTree {
  const { nodeCount, firstEdge, edgeTarget } = graph;
  const parentEdge = new Uint32Array(nodeCount).fill(NO_NODE);
  const parentNode = new Uint32Array(nodeCount).fill(NO_NODE);
  const distance = new Uint32Array(nodeCount).fill(NO_NODE);
  const queue = new Uint32Array(nodeCount);
  let tail = 0;
  for (const root of roots) {
    if (distance[root] !== NO_NODE) continue;
    distance[root] = 0;
    queue[tail++] = root;
  }
  for (let head = 0; head < tail; head++) {
    const node = queue[head]!;
    const next = distance[node]! + 1;
    for (let e = firstEdge[node]!, end = firstEdge[node + 1]!; e < end; e++) {
      if (essential !== undefined && essential[e] !== 1) continue;
      const to = edgeTarget[e]!;
      if (distance[to] !== NO_NODE) continue;
      distance[to] = next;
      parentEdge[to] = e;
      parentNode[to] = node;
      queue[tail++] = to;
    }
  }
  return { parentEdge, parentNode, distance };
}

/**
 * The edges of the shortest path from a root to `node`, root side first.
 *
 * @param tree The search tree.
 * @param node The node.
 * @returns Edge indices; empty for a root or an unreachable node.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges } from "./compact_graph.ts";
 * import { pathFromRoot, shortestPathTree } from "./paths.ts";
 * const tree = shortestPathTree(graphFromEdges(3, [[0, 1], [1, 2]]), [0]);
 * assert(pathFromRoot(tree, 2).join() === "0,1");
 * ```
 */
export function pathFromRoot(tree: ShortestPathTree, node: number): number[] {
  const edges: number[] = [];
  for (let at = node; tree.parentEdge[at] !== NO_NODE; at = tree.parentNode[at]!) {
    edges.push(tree.parentEdge[at]!);
  }
  return edges.reverse();
}

/** Bounds of {@linkcode retainingPaths}. */
export interface PathLimits {
  /** The most paths to return. @default 10 */
  maxPaths?: number;
  /** The most edges in one path. @default 32 */
  maxDepth?: number;
  /** The most nodes to visit in all. @default 100000 */
  maxNodes?: number;
}

/** Paths found by {@linkcode retainingPaths}, and the limits that cut the search. */
export interface RetainingPaths {
  /** Each path as edge indices, root side first, ending at the target. */
  paths: number[][];
  /** Which limits were reached; all false means every simple path was found. */
  limitsReached: { paths: boolean; depth: boolean; nodes: boolean };
}

/**
 * Enumerates simple paths from any root to `target` by walking retainers backwards,
 * depth-first, within limits.
 *
 * @param reverse The reverse index of the graph.
 * @param target The node whose retainers are wanted.
 * @param isRoot Where a path may start.
 * @param options Limits, and which edges retain.
 * @returns The paths found and the limits that cut the search short.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges, reverseIndex } from "./compact_graph.ts";
 * import { retainingPaths } from "./paths.ts";
 * //   0 → 1 → 3, 0 → 2 → 3
 * const graph = graphFromEdges(4, [[0, 1], [0, 2], [1, 3], [2, 3]]);
 * const { paths } = retainingPaths(reverseIndex(graph), 3, (n) => n === 0);
 * assert(paths.length === 2);
 * ```
 */
export function retainingPaths(
  reverse: ReverseIndex,
  target: number,
  isRoot: (node: number) => boolean,
  options: PathLimits & { essential?: EdgeMask } = {},
): RetainingPaths {
  const { maxPaths = 10, maxDepth = 32, maxNodes = 100_000, essential } = options;
  const { firstRetainer, retainerEdge, retainerNode } = reverse;
  const limitsReached = { paths: false, depth: false, nodes: false };
  const paths: number[][] = [];
  const onPath = new Set<number>([target]);
  const edgeStack: number[] = [];
  const frames: { node: number; next: number }[] = [{ node: target, next: firstRetainer[target]! }];
  let visited = 0;
  if (isRoot(target)) return { paths: [[]], limitsReached };
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    if (frame.next >= firstRetainer[frame.node + 1]!) {
      frames.pop();
      onPath.delete(frame.node);
      edgeStack.pop();
      continue;
    }
    const slot = frame.next++;
    const edge = retainerEdge[slot]!;
    const from = retainerNode[slot]!;
    if (essential !== undefined && essential[edge] !== 1) continue;
    if (onPath.has(from)) continue;
    if (++visited > maxNodes) {
      limitsReached.nodes = true;
      break;
    }
    if (isRoot(from)) {
      paths.push([edge, ...edgeStack.toReversed()]);
      if (paths.length >= maxPaths) {
        limitsReached.paths = true;
        break;
      }
      continue;
    }
    if (edgeStack.length + 1 >= maxDepth) {
      limitsReached.depth = true;
      continue;
    }
    edgeStack.push(edge);
    onPath.add(from);
    frames.push({ node: from, next: firstRetainer[from]! });
  }
  return { paths, limitsReached };
}
