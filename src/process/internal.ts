/** What heapler's other modules use of process beyond its public API. @module */
export { FIELD_LABELS, isAvailable, parseStatus } from "./process_memory_info.ts";
