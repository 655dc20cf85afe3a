/** What heapler's other modules use of classtracker beyond its public API. @module */
export { REPORT_STYLE } from "./html.ts";
