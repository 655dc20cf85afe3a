/** What heapler's other modules use of classtracker beyond its public API. @module */
export { REPORT_STYLE } from "./html.ts";
export { mergeSized, STATS_FORMAT, STATS_VERSION } from "./stats.ts";
export { trackerTime } from "./tracked_object.ts";
