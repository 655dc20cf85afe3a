/**
 * Pympler's `refbrowser` for JavaScript: the tree of who holds a value, from a heap snapshot.
 * The value is located through a marker; its referrers are the snapshot's retainer edges, and
 * each line shows a referrer and the edge that holds the child (`Array [1]`, `Object .cache`,
 * `system / Context context x` for a closure's variable). heapler's own objects are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ConsoleBrowser } from "heapler/refbrowser";
 * const leaked = { big: "x".repeat(100) };
 * const cache = new Map([["key", leaked]]);
 * let text = "";
 * const browser = new ConsoleBrowser(leaked, { maxdepth: 2, stream: { write: (t: string) => void (text += t) } });
 * await browser.printTree();
 * assert(text.startsWith("Object") && cache.size === 1);
 * ```
 *
 * @module
 */
export {
  type BrowserOptions,
  ConsoleBrowser,
  FileBrowser,
  formatTree,
  type NodeRecord,
  RefBrowser,
  referrerTree,
  type RefNode,
} from "./refbrowser.ts";
