/** What heapler's other modules use of format beyond its public API: escaping and clipping. @module */
export { escapeDot, escapeHtml, escapeTerminal, escapeXml } from "./escape.ts";
export { clip } from "./text.ts";
