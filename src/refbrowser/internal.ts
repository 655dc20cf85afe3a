/** What heapler's other modules use of refbrowser beyond its public API. @module */
export { defaultStrFunc, referrerRecords } from "./refbrowser.ts";
