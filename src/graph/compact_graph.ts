/**
 * The compact directed graph every algorithm of `graph/` works on: nodes are ordinals
 * `0..nodeCount-1`, the edges of node `n` are `firstEdge[n]..firstEdge[n + 1] - 1`, and
 * `edgeTarget[e]` is the ordinal an edge points to. Snapshot nodes and live values both
 * produce one.
 *
 * @module
 */

/** A directed graph in compressed sparse row form. */
export interface CompactGraph {
  /** The number of nodes. */
  readonly nodeCount: number;
  /** `nodeCount + 1` entries: where each node's edges start; the last is the edge count. */
  readonly firstEdge: Uint32Array;
  /** The target node of each edge. */
  readonly edgeTarget: Uint32Array;
}

/** The reverse of a {@linkcode CompactGraph}: for each node, the edges that point to it. */
export interface ReverseIndex {
  /** `nodeCount + 1` entries: where each node's retainers start in the two arrays below. */
  readonly firstRetainer: Uint32Array;
  /** The edge (an index into `edgeTarget`) of each retainer. */
  readonly retainerEdge: Uint32Array;
  /** The node the edge starts from. */
  readonly retainerNode: Uint32Array;
}

/** Says whether an edge counts; absent means every edge does. One byte per edge, 1 = counts. */
export type EdgeMask = Uint8Array | undefined;

/** Marks "no node" in ordinal arrays. */
export const NO_NODE = 0xffffffff;

/**
 * Builds a graph from an edge list.
 *
 * @param nodeCount The number of nodes.
 * @param edges Pairs `[from, to]` of ordinals.
 * @returns The graph, edges in the order given within each source node.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges } from "./compact_graph.ts";
 * const graph = graphFromEdges(3, [[0, 1], [1, 2], [0, 2]]);
 * assert(graph.firstEdge[1] === 2 && graph.edgeTarget[2] === 2);
 * ```
 */
export function graphFromEdges(
  nodeCount: number,
  edges: Iterable<readonly [number, number]>,
): CompactGraph {
  const list = [...edges];
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (const [from] of list) firstEdge[from + 1]!++;
  for (let n = 0; n < nodeCount; n++) firstEdge[n + 1]! += firstEdge[n]!;
  const cursor = firstEdge.slice(0, nodeCount);
  const edgeTarget = new Uint32Array(list.length);
  for (const [from, to] of list) edgeTarget[cursor[from]!++] = to;
  return { nodeCount, firstEdge, edgeTarget };
}

/**
 * Builds the reverse index of a graph with a counting sort: linear time, three typed arrays.
 *
 * @param graph The graph.
 * @returns For each node, its retaining edges and their source nodes, in source order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges, reverseIndex } from "./compact_graph.ts";
 * const reverse = reverseIndex(graphFromEdges(3, [[0, 2], [1, 2]]));
 * assert(reverse.firstRetainer[3]! - reverse.firstRetainer[2]! === 2);
 * ```
 */
export function reverseIndex(graph: CompactGraph): ReverseIndex {
  const { nodeCount, firstEdge, edgeTarget } = graph;
  const edgeCount = edgeTarget.length;
  const firstRetainer = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) firstRetainer[edgeTarget[e]! + 1]!++;
  for (let n = 0; n < nodeCount; n++) firstRetainer[n + 1]! += firstRetainer[n]!;
  const cursor = firstRetainer.slice(0, nodeCount);
  const retainerEdge = new Uint32Array(edgeCount);
  const retainerNode = new Uint32Array(edgeCount);
  for (let from = 0; from < nodeCount; from++) {
    for (let e = firstEdge[from]!, end = firstEdge[from + 1]!; e < end; e++) {
      const slot = cursor[edgeTarget[e]!]!++;
      retainerEdge[slot] = e;
      retainerNode[slot] = from;
    }
  }
  return { firstRetainer, retainerEdge, retainerNode };
}
