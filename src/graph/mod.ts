/**
 * Graph algorithms on compact, array-backed graphs: reverse indexes, dominator trees and retained
 * sizes, connected components and cycles, shortest paths from the root; and the squarified
 * treemap layout that draws a dominator tree's sizes. Pure: imports nothing of heapler, knows
 * nothing of heaps.
 *
 * @module
 */
export {
  type CompactGraph,
  type EdgeMask,
  graphFromEdges,
  NO_NODE,
  type ReverseIndex,
  reverseIndex,
} from "./compact_graph.ts";
export {
  type Components,
  nodesOnCycles,
  stronglyConnectedComponents,
  weaklyConnectedComponents,
} from "./components.ts";
export { dominatedNodes, type DominatorTree, dominatorTree, retainedSizes } from "./dominators.ts";
export {
  pathFromRoot,
  type PathLimits,
  type RetainingPaths,
  retainingPaths,
  type ShortestPathTree,
  shortestPathTree,
} from "./paths.ts";
export { type Rect, squarify } from "./squarify.ts";
