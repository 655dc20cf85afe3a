/**
 * Dominator tree and retained sizes (Lengauer and Tarjan's algorithm, iterative, on typed
 * arrays), with the treatment of unreachable nodes that Chrome DevTools uses, so retained
 * sizes agree with its memory panel to the byte.
 *
 * @module
 */

import { type CompactGraph, type EdgeMask, NO_NODE, type ReverseIndex } from "./compact_graph.ts";

/** The dominator tree of a graph. */
export interface DominatorTree {
  /** The immediate dominator of each node; the root's is itself. */
  readonly dominator: Uint32Array;
  /** Nodes in depth-first order from the root; a node's dominator comes before it. */
  readonly order: Uint32Array;
}

/**
 * Computes the immediate dominator of every node. Only edges the mask allows count. A node
 * the root cannot reach is treated as DevTools does: one retained only through masked-out
 * edges (an orphan) is searched from as if the root pointed to it, and what is still left
 * is hung under the root one by one. So every node gets a dominator.
 *
 * @param graph The graph.
 * @param reverse Its reverse index.
 * @param root The root node.
 * @param essential Which edges count.
 * @returns The tree.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges, reverseIndex } from "./compact_graph.ts";
 * import { dominatorTree } from "./dominators.ts";
 * //   0 → 1 → 3, 0 → 2 → 3: only 0 dominates 3
 * const graph = graphFromEdges(4, [[0, 1], [0, 2], [1, 3], [2, 3]]);
 * const { dominator } = dominatorTree(graph, reverseIndex(graph), 0);
 * assert(dominator[3] === 0 && dominator[1] === 0);
 * ```
 */
export function dominatorTree(
  graph: CompactGraph,
  reverse: ReverseIndex,
  root: number,
  essential?: EdgeMask,
): DominatorTree {
  const { nodeCount, firstEdge, edgeTarget } = graph;
  const { firstRetainer, retainerEdge, retainerNode } = reverse;
  // Vertices are numbered 1..n as in the paper, 0 meaning none: vertex v is ordinal v - 1.
  const size = nodeCount + 1;
  const parent = new Uint32Array(size);
  const ancestor = new Uint32Array(size);
  const vertex = new Uint32Array(size);
  const label = new Uint32Array(size);
  const semi = new Uint32Array(size);
  const dom = new Uint32Array(size);
  const bucketHead = new Uint32Array(size);
  const bucketNext = new Uint32Array(size);
  const cursor = new Uint32Array(size);
  let n = 0;

  const counts = essential === undefined ? () => true : (edge: number) => essential[edge] === 1;

  const search = (start: number): void => {
    cursor[start] = firstEdge[start - 1]!;
    let v = start;
    while (v !== 0) {
      if (semi[v] === 0) {
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
      let next = parent[v]!;
      const end = firstEdge[v]!;
      for (; cursor[v]! < end; cursor[v]!++) {
        const edge = cursor[v]!;
        if (!counts(edge)) continue;
        const w = edgeTarget[edge]! + 1;
        if (semi[w] === 0) {
          parent[w] = v;
          cursor[w] = firstEdge[w - 1]!;
          next = w;
          break;
        }
      }
      v = next;
    }
  };

  const hasCountingRetainer = (ordinal: number): boolean => {
    for (let r = firstRetainer[ordinal]!, end = firstRetainer[ordinal + 1]!; r < end; r++) {
      if (counts(retainerEdge[r]!)) return true;
    }
    return false;
  };

  const r = root + 1;
  search(r);
  if (n < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0 && !hasCountingRetainer(v - 1)) {
        parent[v] = r;
        search(v);
      }
    }
  }
  if (n < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0) {
        parent[v] = r;
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
    }
  }

  const stack = cursor; // reused: the search is over
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    let top = 0;
    let u = v;
    while (ancestor[ancestor[u]!] !== 0) {
      stack[++top] = u;
      u = ancestor[u]!;
    }
    while (top > 0) {
      const w = stack[top--]!;
      const a = ancestor[w]!;
      if (semi[label[a]!]! < semi[label[w]!]!) label[w] = label[a]!;
      ancestor[w] = ancestor[a]!;
    }
    return label[v]!;
  };

  for (let i = n; i >= 2; i--) {
    const w = vertex[i]!;
    let orphan = true;
    for (let k = firstRetainer[w - 1]!, end = firstRetainer[w]!; k < end; k++) {
      if (!counts(retainerEdge[k]!)) continue;
      orphan = false;
      const u = evaluate(retainerNode[k]! + 1);
      if (semi[u]! < semi[w]!) semi[w] = semi[u]!;
    }
    if (orphan) semi[w] = semi[r]!;
    const s = vertex[semi[w]!]!;
    bucketNext[w] = bucketHead[s]!;
    bucketHead[s] = w;
    const p = parent[w]!;
    ancestor[w] = p;
    for (let v = bucketHead[p]!; v !== 0; v = bucketNext[v]!) {
      const u = evaluate(v);
      dom[v] = semi[u]! < semi[v]! ? u : p;
    }
    bucketHead[p] = 0;
  }
  dom[0] = dom[r] = r; // dom[0]: a node never bucketed falls back to the root
  for (let i = 2; i <= n; i++) {
    const w = vertex[i]!;
    if (dom[w] !== vertex[semi[w]!]) dom[w] = dom[dom[w]!]!;
  }

  const dominator = new Uint32Array(nodeCount);
  const order = new Uint32Array(nodeCount);
  for (let v = 1; v <= nodeCount; v++) dominator[v - 1] = dom[v]! - 1;
  for (let i = 1; i <= n; i++) order[i - 1] = vertex[i]! - 1;
  return { dominator, order };
}

/**
 * Sums self sizes up the dominator tree: a node's retained size is its own size plus what it
 * alone keeps alive.
 *
 * @param tree The dominator tree.
 * @param selfSizes Each node's own size.
 * @returns Each node's retained size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges, reverseIndex } from "./compact_graph.ts";
 * import { dominatorTree, retainedSizes } from "./dominators.ts";
 * const graph = graphFromEdges(3, [[0, 1], [1, 2]]);
 * const sizes = retainedSizes(dominatorTree(graph, reverseIndex(graph), 0), new Float64Array([0, 10, 5]));
 * assert(sizes[1] === 15 && sizes[0] === 15);
 * ```
 */
export function retainedSizes(tree: DominatorTree, selfSizes: Float64Array): Float64Array {
  const { dominator, order } = tree;
  const retained = Float64Array.from(selfSizes);
  for (let i = order.length - 1; i >= 1; i--) {
    const node = order[i]!;
    retained[dominator[node]!]! += retained[node]!;
  }
  return retained;
}

/**
 * The children of each node in the dominator tree, in compressed form.
 *
 * @param tree The dominator tree.
 * @returns A graph whose edges go from each dominator to the nodes it immediately dominates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges, reverseIndex } from "./compact_graph.ts";
 * import { dominatedNodes, dominatorTree } from "./dominators.ts";
 * const graph = graphFromEdges(3, [[0, 1], [1, 2]]);
 * const children = dominatedNodes(dominatorTree(graph, reverseIndex(graph), 0));
 * assert(children.edgeTarget[children.firstEdge[1]!] === 2);
 * ```
 */
export function dominatedNodes(tree: DominatorTree): CompactGraph {
  const { dominator, order } = tree;
  const nodeCount = dominator.length;
  const root = order[0] ?? NO_NODE;
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let node = 0; node < nodeCount; node++) {
    if (node !== root) firstEdge[dominator[node]! + 1]!++;
  }
  for (let node = 0; node < nodeCount; node++) firstEdge[node + 1]! += firstEdge[node]!;
  const cursor = firstEdge.slice(0, nodeCount);
  const edgeTarget = new Uint32Array(Math.max(0, nodeCount - 1));
  for (let node = 0; node < nodeCount; node++) {
    if (node !== root) edgeTarget[cursor[dominator[node]!]!++] = node;
  }
  return { nodeCount, firstEdge, edgeTarget };
}
