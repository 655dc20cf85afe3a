/**
 * Connected components of a {@linkcode CompactGraph}: weakly connected ones (Pympler's
 * `split`) and strongly connected ones (the cycles `reduce` keeps). Iterative, typed arrays.
 *
 * @module
 */
import { type CompactGraph, NO_NODE, reverseIndex } from "./compact_graph.ts";

/** A partition of the nodes into components. */
export interface Components {
  /** The component of each node, numbered from 0, largest component first. */
  readonly component: Uint32Array;
  /** The number of nodes in each component. */
  readonly sizes: readonly number[];
}

/**
 * Splits a graph into weakly connected components (edges taken in either direction), largest
 * first; ties keep the order of their first node.
 *
 * @param graph The graph.
 * @returns Each node's component and the components' sizes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges } from "./compact_graph.ts";
 * import { weaklyConnectedComponents } from "./components.ts";
 * //  0 → 1   2 → 3 → 4
 * const { component, sizes } = weaklyConnectedComponents(graphFromEdges(5, [[0, 1], [2, 3], [3, 4]]));
 * assert(sizes.join() === "3,2" && component[0] === 1 && component[4] === 0);
 * ```
 */
export function weaklyConnectedComponents(graph: CompactGraph): Components {
  const { nodeCount, firstEdge, edgeTarget } = graph;
  const { firstRetainer, retainerNode } = reverseIndex(graph);
  const found = new Uint32Array(nodeCount).fill(NO_NODE);
  const stack = new Uint32Array(nodeCount);
  const sizes: number[] = [];
  for (let start = 0; start < nodeCount; start++) {
    if (found[start] !== NO_NODE) continue;
    const id = sizes.length;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    found[start] = id;
    while (top > 0) {
      const node = stack[--top]!;
      size++;
      for (let e = firstEdge[node]!; e < firstEdge[node + 1]!; e++) {
        const to = edgeTarget[e]!;
        if (found[to] === NO_NODE) {
          found[to] = id;
          stack[top++] = to;
        }
      }
      for (let r = firstRetainer[node]!; r < firstRetainer[node + 1]!; r++) {
        const from = retainerNode[r]!;
        if (found[from] === NO_NODE) {
          found[from] = id;
          stack[top++] = from;
        }
      }
    }
    sizes.push(size);
  }
  return largestFirst(found, sizes);
}

/**
 * Finds the strongly connected components (Tarjan's algorithm, iterative), largest first.
 *
 * @param graph The graph.
 * @returns Each node's component and the components' sizes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges } from "./compact_graph.ts";
 * import { stronglyConnectedComponents } from "./components.ts";
 * //  0 ⇄ 1 → 2
 * const { component, sizes } = stronglyConnectedComponents(graphFromEdges(3, [[0, 1], [1, 0], [1, 2]]));
 * assert(sizes.join() === "2,1" && component[0] === component[1] && component[2] === 1);
 * ```
 */
export function stronglyConnectedComponents(graph: CompactGraph): Components {
  const { nodeCount, firstEdge, edgeTarget } = graph;
  const index = new Uint32Array(nodeCount).fill(NO_NODE);
  const low = new Uint32Array(nodeCount);
  const onStack = new Uint8Array(nodeCount);
  const stack = new Uint32Array(nodeCount);
  const callNode = new Uint32Array(nodeCount);
  const callEdge = new Uint32Array(nodeCount);
  const found = new Uint32Array(nodeCount);
  const sizes: number[] = [];
  let counter = 0;
  let top = 0;
  for (let start = 0; start < nodeCount; start++) {
    if (index[start] !== NO_NODE) continue;
    let depth = 0;
    callNode[0] = start;
    callEdge[0] = firstEdge[start]!;
    index[start] = low[start] = counter++;
    stack[top++] = start;
    onStack[start] = 1;
    while (depth >= 0) {
      const node = callNode[depth]!;
      if (callEdge[depth]! < firstEdge[node + 1]!) {
        const to = edgeTarget[callEdge[depth]!++]!;
        if (index[to] === NO_NODE) {
          index[to] = low[to] = counter++;
          stack[top++] = to;
          onStack[to] = 1;
          depth++;
          callNode[depth] = to;
          callEdge[depth] = firstEdge[to]!;
        } else if (onStack[to] === 1 && index[to]! < low[node]!) {
          low[node] = index[to]!;
        }
        continue;
      }
      if (low[node] === index[node]) {
        const id = sizes.length;
        let size = 0;
        let member: number;
        do {
          member = stack[--top]!;
          onStack[member] = 0;
          found[member] = id;
          size++;
        } while (member !== node);
        sizes.push(size);
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth]!;
        if (low[node]! < low[parent]!) low[parent] = low[node]!;
      }
    }
  }
  return largestFirst(found, sizes);
}

/**
 * Marks the nodes that lie on a cycle: in a strongly connected component of two or more nodes,
 * or with an edge to themselves (Pympler's `reduce`).
 *
 * @param graph The graph.
 * @returns One byte per node, 1 on a cycle.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { graphFromEdges } from "./compact_graph.ts";
 * import { nodesOnCycles } from "./components.ts";
 * const marks = nodesOnCycles(graphFromEdges(4, [[0, 1], [1, 0], [2, 2], [2, 3]]));
 * assert(marks.join() === "1,1,1,0");
 * ```
 */
export function nodesOnCycles(graph: CompactGraph): Uint8Array {
  const { component, sizes } = stronglyConnectedComponents(graph);
  const marks = new Uint8Array(graph.nodeCount);
  for (let node = 0; node < graph.nodeCount; node++) {
    if (sizes[component[node]!]! > 1) marks[node] = 1;
    for (let e = graph.firstEdge[node]!; e < graph.firstEdge[node + 1]!; e++) {
      if (graph.edgeTarget[e] === node) marks[node] = 1;
    }
  }
  return marks;
}

/** Renumbers components by size, largest first, ties in order of discovery. */
function largestFirst(found: Uint32Array, sizes: number[]): Components {
  const order = sizes.map((_, id) => id).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
  const rank = new Uint32Array(sizes.length);
  order.forEach((id, position) => rank[id] = position);
  const component = found.map((id) => rank[id]!);
  return { component, sizes: order.map((id) => sizes[id]!) };
}
