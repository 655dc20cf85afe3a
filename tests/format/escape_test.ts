import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { escapeDot, escapeHtml, escapeTerminal, escapeXml } from "../../src/format/internal.ts";
import { propertyOptions } from "../_support/fc.ts";

test("escapeHtml() leaves no markup", () => {
  assert.equal(
    escapeHtml(`<img src=x onerror="alert(1)">'&`),
    "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;",
  );
  fc.assert(
    fc.property(
      fc.string({ unit: "binary" }),
      (text) => assert.doesNotMatch(escapeHtml(text), /[<>"']|&(?!amp;|lt;|gt;|quot;|#39;)/),
    ),
    propertyOptions(),
  );
});

test("escapeXml() drops characters XML cannot hold", () => {
  assert.equal(escapeXml("a\u0000\u001b<\uD800>"), "a\uFFFD\uFFFD&lt;\uFFFD&gt;");
  assert.equal(escapeXml("tab\tnewline\n"), "tab\tnewline\n");
});

test("escapeDot() keeps a label inside its quotes", () => {
  assert.equal(escapeDot(`"};digraph x{`), `\\"};digraph x{`);
  assert.equal(escapeDot("back\\slash"), "back\\\\slash");
  assert.equal(escapeDot("line\nbreak"), "line\\nbreak");
  assert.equal(escapeDot("&lt;"), "&amp;lt;");
  assert.equal(escapeDot("\u001b"), "\\\\x1b");
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      // Every quote is escaped by an odd run of backslashes, so the string never ends early.
      const escaped = escapeDot(text);
      for (const match of escaped.matchAll(/(\\*)"/g)) {
        assert.equal(match[1]!.length % 2, 1, escaped);
      }
      assert.equal(escaped.endsWith("\\") ? (/\\*$/.exec(escaped)![0].length % 2) : 0, 0, escaped);
    }),
    propertyOptions(),
  );
});

test("escapeTerminal() shows control characters instead of sending them", () => {
  assert.equal(escapeTerminal("a\u001b[31mb\n\t\r\u009b"), "a\\x1b[31mb\\n\\t\\r\\x9b");
  fc.assert(
    fc.property(
      fc.string({ unit: "binary" }),
      // deno-lint-ignore no-control-regex -- matching control characters is the point
      (text) => assert.doesNotMatch(escapeTerminal(text), /[\u0000-\u001F\u007F-\u009F]/),
    ),
    propertyOptions(),
  );
});
