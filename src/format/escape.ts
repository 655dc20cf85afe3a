const HTML_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes text for HTML content and quoted attribute values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeHtml } from "./internal.ts";
 * assert(escapeHtml(`<img src=x onerror="a()">`) === "&lt;img src=x onerror=&quot;a()&quot;&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character] ?? character);
}

/**
 * Escapes text for XML and SVG: as {@linkcode escapeHtml}, and characters XML 1.0 cannot hold
 * at all (control characters, lone surrogates) become U+FFFD.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeXml } from "./internal.ts";
 * assert(escapeXml("a\u0000<b>") === "a\uFFFD&lt;b&gt;");
 * ```
 */
export function escapeXml(text: string): string {
  return escapeHtml(
    // deno-lint-ignore no-control-regex -- matching control characters is the point
    text.toWellFormed().replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "\uFFFD"),
  );
}

/**
 * Escapes text for a double-quoted DOT string so Graphviz draws it literally: backslashes,
 * quotes and `&` (Graphviz reads entities in labels) are escaped, newlines become `\n` line
 * breaks and other control characters are drawn as `\xNN`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeDot } from "./internal.ts";
 * assert(escapeDot(`"};digraph x{`) === `\\"};digraph x{`);
 * assert(escapeDot("a\\N&b") === "a\\\\N&amp;b");
 * ```
 */
export function escapeDot(text: string): string {
  return text.toWellFormed().replace(
    // deno-lint-ignore no-control-regex -- matching control characters is the point
    /[\\"&\n\u0000-\u001F\u007F-\u009F]/g,
    (character) => DOT_ESCAPES[character] ?? "\\\\x" + hex2(character),
  );
}

const DOT_ESCAPES: Record<string, string> = { "\\": "\\\\", '"': '\\"', "&": "&amp;", "\n": "\\n" };

/**
 * Makes text safe to print on a terminal: control characters (including escape sequences that
 * could move the cursor or change colours) are shown as `\xNN`, `\n`, `\r` or `\t`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { escapeTerminal } from "./internal.ts";
 * assert(escapeTerminal("a\u001b[31mb\n") === "a\\x1b[31mb\\n");
 * ```
 */
export function escapeTerminal(text: string): string {
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001F\u007F-\u009F]/g, (character) => {
    if (character === "\n") return "\\n";
    if (character === "\r") return "\\r";
    if (character === "\t") return "\\t";
    return "\\x" + hex2(character);
  });
}

function hex2(character: string): string {
  return character.charCodeAt(0).toString(16).padStart(2, "0");
}
