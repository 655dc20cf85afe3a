/** What heapler's other modules use of format beyond its public API: escaping, clipping, text widths. @module */
export { escapeDot, escapeHtml, escapeTerminal, escapeXml } from "./escape.ts";
export { clip, textWidth } from "./text.ts";
