import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ConsoleBrowser,
  FileBrowser,
  formatTree,
  type NodeRecord,
  type RefNode,
} from "../../src/refbrowser/refbrowser.ts";
import { expectedRuntime } from "../_support/runtime.ts";

function node(name: string, children: (RefNode | string)[] = []): RefNode {
  return {
    record: { id: 0, type: "object", className: name, name, selfSize: 0, edgeCount: 0, edge: "" },
    children,
  };
}

//  The sample tree of Pympler's tests: three branches, each with its own children.
const sample = node("root", [
  node("branch1", [node("a"), node("b"), node("c"), node("d"), node("e")]),
  node("branch2", [node("branch3"), node("a")]),
  node("branch3", [node("branch1"), node("a"), node("b")]),
]);

test("formatTree() lays out Pympler's tree at depth 1 and 2", () => {
  assert.deepEqual(formatTree(sample, { maxdepth: 1 }), [
    "root-+-branch1",
    "     +-branch2",
    "     +-branch3",
  ]);
  assert.deepEqual(formatTree(sample, { maxdepth: 2 }), [
    "root-+-branch1-+-a",
    "     |         +-b",
    "     |         +-c",
    "     |         +-d",
    "     |         +-e",
    "     |",
    "     +-branch2-+-branch3",
    "     |         +-a",
    "     |",
    "     +-branch3-+-branch1",
    "               +-a",
    "               +-b",
  ]);
  assert.deepEqual(formatTree(node("root", [node("only", [node("leaf")])])), ["root--only--leaf"]);
  assert.deepEqual(formatTree(sample, { maxdepth: 0 }), ["root"]);
  const custom = (record: NodeRecord) => record.className.toUpperCase();
  assert.equal(formatTree(sample, { maxdepth: 0, strFunc: custom })[0], "ROOT");
});

test("ConsoleBrowser lists every holder of a value, with the edge that holds it", {
  skip: expectedRuntime === "bun"
    ? "Bun's snapshots leave out array element edges (measured)"
    : false,
}, async () => {
  const root = ["shared", "root", "string", String(Math.random())].join("-"); // one flat string
  const list = [1, root];
  const tuple = Object.freeze([root]);
  const dict = { key: root };
  let text = "";
  const browser = new ConsoleBrowser(root, {
    maxdepth: 2,
    stream: { write: (chunk: string) => void (text += chunk) },
  });
  await browser.printTree();
  assert.match(text, /^"shared-root-string/);
  assert.match(text, /Object \.key/);
  // The two arrays hold it through their elements: `Array [1]`, or the store of a frozen one.
  assert.ok((text.match(/Array (\[\d\]|elements\[\d\])/g) ?? []).length >= 2, text);
  assert.ok(!text.includes("__heapler"), "the marker is not shown");
  assert.equal(list.length + tuple.length + Object.keys(dict).length, 4);
});

class Entry {
  constructor(readonly key: string) {}
}

/** A module variable that a function closes over: it lives in the module's scope. */
const registry = new Map<string, Entry>();
function remember(entry: Entry): void {
  registry.set(entry.key, entry);
}

test("a referrer tree leaves the engine out and ends at the named holder: variable and module", async () => {
  for (let i = 0; i < 20; i++) remember(new Entry(`entry-${i}`));
  let text = "";
  await new ConsoleBrowser(registry.get("entry-7"), {
    stream: { write: (chunk: string) => void (text += chunk) },
  }).printTree();
  if (expectedRuntime === "bun") {
    assert.equal(
      text.trimEnd(),
      "Entry--(a holder Bun's snapshot does not show: a Map or Set entry, or a closure's scope)",
    );
    return;
  }
  assert.match(
    text.trimEnd(),
    /^Entry--Map table\[\d+\]--system \/ Context \(refbrowser\/refbrowser_test\.ts\) context registry$/,
  );
  let internals = "";
  await new ConsoleBrowser(registry.get("entry-7"), {
    internals: true,
    stream: { write: (chunk: string) => void (internals += chunk) },
  }).printTree();
  assert.match(internals, /\(array\) \(internal\) \d+--Map \(internal\) table/);
  assert.ok(!internals.includes("marker"), internals);
});

test("repeat: false prints a node reached again as '(already included, id N)'", {
  skip: expectedRuntime === "bun"
    ? "Bun's snapshots leave out array element edges (measured)"
    : false,
}, async () => {
  const target = { target: true };
  const holder = { a: target, b: target };
  const browser = new ConsoleBrowser(target, { maxdepth: 1, repeat: false });
  const tree = await browser.getTree();
  const texts = tree.children.filter((child): child is string => typeof child === "string");
  assert.ok(
    texts.some((text) => /Object \.b \(already included, id \d+\)/.test(text)),
    JSON.stringify(tree.children),
  );
  assert.equal(holder.a, holder.b);
});

test("FileBrowser writes the tree to a file", async () => {
  const directory = await mkdtemp(join(tmpdir(), "heapler-refbrowser-"));
  try {
    const value = { marker: "file-browser-probe" };
    const keep = [value];
    await new FileBrowser(value, { maxdepth: 1 }).printTree(join(directory, "tree.txt"));
    assert.match(await readFile(join(directory, "tree.txt"), "utf8"), /^Object/);
    assert.equal(keep.length, 1);
  } finally {
    await rm(directory, { recursive: true });
  }
});
