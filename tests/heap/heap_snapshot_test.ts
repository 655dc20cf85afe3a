import assert from "node:assert/strict";
import { test } from "node:test";
import { parse as parseWithDevTools } from "heap-snapshot-toolkit";
import { HeapSnapshot } from "../../src/heap/heap_snapshot.ts";
import { HEAPLER_HOLDER_KEY, heaplerOwned } from "../../src/heap/selection.ts";
import { parseHeapSnapshot } from "../../src/heap/load.ts";
import { takeHeapSnapshot } from "../../src/runtime/mod.ts";
import { buildSnapshot, type NodeSpec } from "../_support/snapshot_builder.ts";

//  0 (root) ─shortcut→ 1 global ─.cache→ 3 Map ─(internal) table→ 6 (object elements) ─WeakMap value→ 7 Value
//  │                   └─weak→ 5 Leaf                             └─ [0] self edge
//  └─[1]→ 2 (GC roots) ─[0]→ 4 system / Foo ─.x→ 3 (outside the page into it: does not retain)
const WEAK_MAP_EDGE =
  "1 / part of key (Object @9) -> value (Object @11) pair in WeakMap (table @13)";
const nodes: NodeSpec[] = [
  {
    type: "synthetic",
    name: "",
    id: 1,
    selfSize: 0,
    edges: [{ type: "shortcut", name: "global", to: 1 }, { type: "element", name: 1, to: 2 }],
  },
  {
    type: "object",
    name: "global",
    id: 3,
    selfSize: 10,
    edges: [{ type: "property", name: "cache", to: 3 }, { type: "weak", name: "ref", to: 5 }],
  },
  {
    type: "synthetic",
    name: "(GC roots)",
    id: 5,
    selfSize: 0,
    edges: [{ type: "element", name: 0, to: 4 }],
  },
  {
    type: "object",
    name: "Map",
    id: 7,
    selfSize: 20,
    edges: [{ type: "internal", name: "table", to: 6 }],
  },
  {
    type: "hidden",
    name: "system / Foo",
    id: 9,
    selfSize: 5,
    edges: [{ type: "property", name: "x", to: 3 }],
  },
  { type: "object", name: "Leaf", id: 11, selfSize: 7 },
  {
    type: "array",
    name: "(object elements)",
    id: 13,
    selfSize: 30,
    edges: [{ type: "internal", name: WEAK_MAP_EDGE, to: 7 }, { type: "element", name: 0, to: 6 }],
  },
  { type: "object", name: '<div id="a">', id: 15, selfSize: 2 ** 33 },
];

async function handBuilt(): Promise<HeapSnapshot> {
  return await HeapSnapshot.parse(new TextEncoder().encode(buildSnapshot(nodes)));
}

test("HeapSnapshot names classes as DevTools does", async () => {
  const snapshot = await handBuilt();
  const names = Array.from({ length: snapshot.nodeCount }, (_, n) => snapshot.classNameOf(n));
  assert.deepEqual(names, [
    "(synthetic)",
    "global",
    "(synthetic)",
    "Map",
    "(system)",
    "Leaf",
    "(array)",
    "<div>",
  ]);
});

test("HeapSnapshot.essentialEdges skips weak, self, WeakMap-table and outside-the-page edges", async () => {
  const snapshot = await handBuilt();
  const retaining = Array.from(
    { length: snapshot.edgeCount },
    (_, e) => `${snapshot.edgeNameOf(e)}:${snapshot.essentialEdges[e]}`,
  );
  assert.deepEqual(retaining, [
    "global:1",
    "1:1",
    "cache:1",
    "ref:0",
    "0:1",
    "table:1",
    "x:0",
    `${WEAK_MAP_EDGE}:0`,
    "0:0",
  ]);
});

test("HeapSnapshot.retainedSizes follow the dominator tree, orphans under the root, past 2^32", async () => {
  const snapshot = await handBuilt();
  assert.deepEqual([...snapshot.dominators.dominator], [0, 0, 0, 1, 2, 0, 3, 0]);
  assert.deepEqual([...snapshot.retainedSizes], [2 ** 33 + 72, 60, 5, 50, 5, 7, 0, 2 ** 33]);
  assert.equal(snapshot.node(3).retainedSize, 50);
});

test("HeapSnapshot.selfSizes moves an owned internal array into its one owner, as DevTools", async () => {
  const snapshot = await handBuilt();
  // The Map owns its table; the (system) node hangs off a synthetic root, which owns nothing.
  assert.deepEqual([...snapshot.selfSizes], [0, 10, 0, 50, 5, 7, 0, 2 ** 33]);
  assert.equal(snapshot.raw.selfSizes[6], 30);
});

test("HeapSnapshot views: edges, retainers, labels, paths, ids", async () => {
  const snapshot = await handBuilt();
  const map = snapshot.node(snapshot.ordinalOf(7));
  assert.equal(map.className, "Map");
  assert.deepEqual(map.edges().map((edge) => edge.label), ["(internal) table"]);
  assert.deepEqual(
    map.retainers().map((edge) => `${edge.source.name} ${edge.label} ${edge.retains}`),
    [
      "global .cache true",
      "system / Foo .x false",
    ],
  );
  assert.equal(snapshot.describePath(6), "global → global .cache → Map (internal) table → (array)");
  assert.equal(snapshot.describePath(5), "(unreachable)");
  assert.equal(snapshot.ordinalOf(8), -1);
  assert.equal(snapshot.ordinalOf(15), 7);
  assert.equal(snapshot.stableIds, true);
  assert.deepEqual(snapshot.findByPropertyKeys(["cache", "nope"]), [3, -1]);
  assert.deepEqual(snapshot.node(5).toObject(), {
    id: 11,
    type: "object",
    name: "Leaf",
    className: "Leaf",
    selfSize: 7,
    edgeCount: 0,
  });
  assert.throws(() => snapshot.node(8), RangeError);
});

test("HeapSnapshot.stableIds is false when ids merely count the nodes (Bun)", async () => {
  for (const base of [0, 13960]) {
    const counted = nodes.map((node, ordinal) => ({
      ...node,
      id: ordinal < 2 ? ordinal + 1 : base + ordinal + 1,
    }));
    const snapshot = await HeapSnapshot.parse(new TextEncoder().encode(buildSnapshot(counted)));
    assert.equal(snapshot.stableIds, false);
  }
});

test("heaplerOwned(HeapSnapshot) marks what only heapler's holder keeps alive", async () => {
  //  root → global ─.__heapler_holder__→ holder → mine
  //                └─.app→ app → shared ←────────┘
  const spec: NodeSpec[] = [
    {
      type: "synthetic",
      name: "",
      id: 1,
      selfSize: 0,
      edges: [{ type: "shortcut", name: "global", to: 1 }],
    },
    {
      type: "object",
      name: "global",
      id: 3,
      selfSize: 1,
      edges: [
        { type: "property", name: HEAPLER_HOLDER_KEY, to: 2 },
        { type: "property", name: "app", to: 4 },
      ],
    },
    {
      type: "object",
      name: "Object",
      id: 5,
      selfSize: 1,
      edges: [{ type: "property", name: "a", to: 3 }, { type: "property", name: "b", to: 5 }],
    },
    { type: "object", name: "Mine", id: 7, selfSize: 1 },
    {
      type: "object",
      name: "App",
      id: 9,
      selfSize: 1,
      edges: [{ type: "property", name: "s", to: 5 }],
    },
    { type: "object", name: "Shared", id: 11, selfSize: 1 },
  ];
  const snapshot = await HeapSnapshot.parse(new TextEncoder().encode(buildSnapshot(spec)));
  assert.deepEqual([...heaplerOwned(snapshot)], [0, 0, 1, 1, 0, 0]);
});

async function liveSnapshotBytes(): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of takeHeapSnapshot()) chunks.push(chunk);
  const bytes = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

test("HeapSnapshot retained sizes and dominators equal DevTools' on a real snapshot", async () => {
  // Shapes that exercise the rules: WeakMap values, cycles, shared children, weak references.
  const keys = Array.from({ length: 50 }, () => ({}));
  const weakMap = new WeakMap(keys.map((key, i) => [key, { payload: new Array(i).fill(i) }]));
  const cycle: Record<string, unknown> = { name: "a" };
  cycle.self = { back: cycle };
  const shared = { data: "x".repeat(5000) };
  const live = { keys, weakMap, cycle, left: [shared], right: [shared], ref: new WeakRef(shared) };
  const bytes = await liveSnapshotBytes();
  const ours = new HeapSnapshot(await parseHeapSnapshot(bytes));
  const decoder = new TextDecoder();
  const stream = new ReadableStream<string>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += 1 << 20) {
        controller.enqueue(decoder.decode(bytes.subarray(at, at + (1 << 20)), { stream: true }));
      }
      controller.close();
    },
  });
  // deno-lint-ignore no-explicit-any -- the toolkit's model has no useful types
  const devtools: any = await parseWithDevTools(stream);
  assert.equal(devtools.nodeCount, ours.nodeCount);
  let mismatches = 0;
  for (let n = 0; n < ours.nodeCount; n++) {
    if (devtools.retainedSizes[n] !== ours.retainedSizes[n]) mismatches++;
    if (devtools.dominatorsTree[n] !== ours.dominators.dominator[n]) mismatches++;
  }
  assert.equal(mismatches, 0);
  assert.ok(live.keys.length === 50);
});

test("the node and edge types are read from the type column's entry of meta, wherever it stands", async () => {
  // `type` is the second node field and the second edge field here: node_types[1] and
  // edge_types[1] list the type names; the entries of the other columns are plain words.
  const json = JSON.stringify({
    snapshot: {
      meta: {
        node_fields: ["name", "type", "id", "self_size", "edge_count"],
        node_types: ["string", ["synthetic", "object"], "number", "number", "number"],
        edge_fields: ["name_or_index", "type", "to_node"],
        edge_types: ["string_or_number", ["element", "property"], "node"],
      },
      node_count: 2,
      edge_count: 1,
    },
    nodes: [0, 0, 1, 0, 1, 1, 1, 3, 24, 0],
    edges: [2, 1, 5],
    strings: ["", "Thing", "field"],
  });
  const snapshot = await HeapSnapshot.parse(new TextEncoder().encode(json));
  assert.equal(snapshot.typeOf(0), "synthetic");
  assert.equal(snapshot.typeOf(1), "object");
  assert.equal(snapshot.nameOf(1), "Thing");
  const [edge] = snapshot.node(0).edges();
  assert.equal(edge!.type, "property");
  assert.equal(edge!.name, "field");
});

test("class names carry no object ids: one type is one row, the same on every run and runtime", async () => {
  const scoped = (() => {
    const inScope = { made: "in a scope" };
    return () => inScope;
  })();
  const snapshot = await HeapSnapshot.parse(takeHeapSnapshot());
  assert.deepEqual(snapshot.classNames.filter((name) => / @\d+/.test(name)), []);
  assert.equal(scoped().made, "in a scope");
});
