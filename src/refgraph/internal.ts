/** What heapler's other modules use of refgraph beyond its public API. @module */
export { snapshotEdgesAmong, snapshotNode } from "./reference_graph.ts";
