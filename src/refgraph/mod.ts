/**
 * Pympler's `refgraph`: the references among a set of live values (found by the same referent
 * rules as `sizeof`: descriptors only, no getters, Map and Set entries, elements, symbol keys),
 * or the neighbourhood of snapshot nodes, split into components, reduced to cycles, and drawn
 * by Graphviz compiled to WebAssembly.
 *
 * @module
 */
export {
  type GraphEdge,
  type GraphNode,
  ReferenceGraph,
  type ReferenceGraphOptions,
} from "./reference_graph.ts";
