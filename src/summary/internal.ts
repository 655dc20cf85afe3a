/** What heapler's other modules use of summary beyond its public API. @module */
export { type NodeSummary, summaryRowsOfNodes } from "./summary.ts";
