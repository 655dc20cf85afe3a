/**
 * What heapler's other modules use of heap beyond its public API: the markers that tell
 * heapler's own objects apart, and which nodes are the program's.
 *
 * @module
 */
export {
  declareProgramSource,
  heaplerHolder,
  type HeaplerSlot,
  heaplerSlot,
  MARKER_PREFIX,
  markHeaplerMade,
  snapshotProgram,
} from "./marker.ts";
export { instancesOf } from "./instances.ts";
export { HeapSnapshotParser } from "./parser.ts";
export {
  edgeNamed,
  functionScript,
  HEAPLER_HOLDER_KEY,
  HEAPLER_MADE_KEY,
  HEAPLER_PROGRAM_KEY,
  HEAPLER_SOURCE_KEY,
  heaplerOwned,
  isProgramObject,
  programRetainingPath,
  reachedNodes,
  scopeScript,
  selectedNodes,
  sizesOf,
  storageOwner,
} from "./selection.ts";
