/** What heapler's other modules use of sizeof beyond its public API. @module */
export { measureNode } from "./exact.ts";
