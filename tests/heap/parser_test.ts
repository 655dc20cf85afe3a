import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  HeapSnapshotParser,
  HeapSnapshotSyntaxError,
  type RawHeapSnapshot,
} from "../../src/heap/parser.ts";
import { HeapSnapshot } from "../../src/heap/heap_snapshot.ts";
import { takeHeapSnapshot } from "../../src/runtime/mod.ts";
import { propertyOptions } from "../_support/fc.ts";
import { buildSnapshot, type NodeSpec } from "../_support/snapshot_builder.ts";

const encoder = new TextEncoder();

function parse(chunks: Iterable<Uint8Array>): RawHeapSnapshot {
  const parser = new HeapSnapshotParser();
  for (const chunk of chunks) parser.write(chunk);
  return parser.close();
}

function parseText(text: string): RawHeapSnapshot {
  return parse([encoder.encode(text)]);
}

/** The snapshot through JSON.parse, in the parser's layout, for comparison. */
function reference(text: string) {
  const json = JSON.parse(text);
  const fields: string[] = json.snapshot.meta.node_fields;
  const selfSize = fields.indexOf("self_size");
  const nodes = Uint32Array.from(
    json.nodes as number[],
    (value, i) => (i % fields.length === selfSize ? 0 : value),
  );
  const selfSizes = Float64Array.from(
    { length: json.snapshot.node_count },
    (_, i) => json.nodes[i * fields.length + selfSize],
  );
  return {
    nodes,
    selfSizes,
    edges: Uint32Array.from(json.edges),
    strings: json.strings,
    header: json.snapshot,
  };
}

function assertSame(actual: RawHeapSnapshot, text: string): void {
  const expected = reference(text);
  assert.deepEqual(actual.header, expected.header);
  assert.deepEqual(actual.nodes, expected.nodes);
  assert.deepEqual(actual.selfSizes, expected.selfSizes);
  assert.deepEqual(actual.edges, expected.edges);
  assert.deepEqual(actual.strings, expected.strings);
}

const SMALL: NodeSpec[] = [
  {
    type: "synthetic",
    name: "",
    id: 1,
    selfSize: 0,
    edges: [{ type: "shortcut", name: "global", to: 1 }],
  },
  {
    type: "object",
    name: 'Global "quoted" \\ é 😀 \u0001',
    id: 3,
    selfSize: 56,
    edges: [
      { type: "property", name: "cache", to: 2 },
      { type: "element", name: 7, to: 3 },
      { type: "property", name: "\uFEFF", to: 4 },
    ],
  },
  { type: "array", name: "", id: 5, selfSize: 2 ** 33 + 5, edges: [] },
  { type: "string", name: "x".repeat(3000), id: 7, selfSize: 3016 },
  // A leading U+FEFF is a character of the string, not a byte-order mark to drop.
  { type: "string", name: "\uFEFF starts with U+FEFF", id: 9, selfSize: 40 },
];

test("HeapSnapshotParser agrees with JSON.parse on a snapshot of this runtime", async () => {
  const kept = { ["__heapler_parser_marker"]: ["é", "\u2028", 'tab\tquote"'] };
  const chunks: Uint8Array[] = [];
  for await (const chunk of takeHeapSnapshot()) chunks.push(chunk);
  const text = new TextDecoder().decode(concat(chunks));
  assertSame(parse(chunks), text);
  assert.ok(kept);
});

test("HeapSnapshotParser reads both layouts: with and without trace_node_id", () => {
  for (const traceNodeId of [true, false]) {
    const text = buildSnapshot(SMALL, { traceNodeId });
    const parsed = parseText(text);
    assertSame(parsed, text);
    assert.equal(parsed.header.meta.node_fields.length, traceNodeId ? 7 : 6);
  }
});

test("HeapSnapshotParser keeps self sizes over 2^32 exact", () => {
  assert.equal(parseText(buildSnapshot(SMALL)).selfSizes[2], 2 ** 33 + 5);
});

test("HeapSnapshotParser parses any split of the bytes into chunks the same", () => {
  const bytes = encoder.encode(buildSnapshot(SMALL));
  const expected = parse([bytes]);
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }),
      (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
        assert.deepEqual(parse(chunks), expected);
      },
    ),
    propertyOptions(300),
  );
});

test("HeapSnapshotParser accepts V8's line breaks before commas", () => {
  const text = buildSnapshot(SMALL).replace(/,(?=\d)/g, "\n,");
  assertSame(parseText(text), text);
});

test("HeapSnapshotParser parses byte-by-byte input the same", () => {
  const bytes = encoder.encode(buildSnapshot(SMALL, { traceNodeId: false }));
  const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  assert.deepEqual(parse(chunks), parse([bytes]));
});

test("HeapSnapshotParser rejects a snapshot cut at any byte with its offset", () => {
  const bytes = encoder.encode(buildSnapshot(SMALL));
  const lastBrace = bytes.lastIndexOf(0x7d);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: lastBrace }), (cut) => {
      assert.throws(
        () => parse([bytes.subarray(0, cut)]),
        (error) => error instanceof HeapSnapshotSyntaxError && error.offset <= cut,
      );
    }),
    propertyOptions(300),
  );
});

test("HeapSnapshotParser reports corrupt input as HeapSnapshotSyntaxError with a byte offset", () => {
  // Self sizes under 2^32, so a shifted column still reads as a number.
  const good = buildSnapshot(SMALL.map((node) => ({ ...node, selfSize: node.selfSize % 1000 })));
  const cases: [string, string, RegExp][] = [
    ["not JSON", "hello", /expected '\{' at the start, found "hello" at byte 0/],
    ["binary", "\u0000\u0001PNG", /found binary data at byte 0/],
    [
      "a letter in nodes",
      good.replace(`"nodes":[`, `"nodes":[x`),
      /unexpected character 'x' in "nodes"/,
    ],
    ["an empty number", good.replace(`"nodes":[`, `"nodes":[,`), /a missing number in "nodes"/],
    ["two commas", good.replace(/("nodes":\[\d+),/, "$1,\n,"), /a missing number in "nodes"/],
    [
      "a trailing comma",
      good.replace(/("edges":\[[^\]]*)\]/, "$1,]"),
      /a missing number in "edges"/,
    ],
    [
      "too many nodes",
      good.replace(`"nodes":[`, `"nodes":[1,`),
      /"nodes" has more numbers than the header's node_count \d+ \(\d+ numbers\)/,
    ],
    [
      "a number over 2^32",
      good.replace(`"nodes":[`, `"nodes":[${2 ** 32},`),
      /a number in "nodes" is over 2\^32/,
    ],
    [
      "too few edges",
      good.replace(`"edges":[`, `"edges":[`).replace(/("edges":\[[^\]]*),\d+\]/, "$1]"),
      /"edges" holds \d+ numbers, but edge_count \d+ needs \d+ \(3 per edge\) at/,
    ],
    [
      "an edge past the nodes",
      good.replace(/("edges":\[\d+,\d+,)\d+/, "$17000"),
      /edge 0 points past the nodes/,
    ],
    [
      "a name past the strings",
      good.replace(/("nodes":\[\d+,)\d+/, "$199"),
      /node 0 names a missing string/,
    ],
    [
      "nodes before the header",
      `{"nodes":[1],"snapshot":{}}`,
      /"nodes" comes before the "snapshot" header/,
    ],
    ["a bad header", good.replace(`"node_fields"`, `"node_fieldz"`), /no usable "meta"/],
    ["a duplicate key", good.replace(`"samples":[]`, `"nodes":[]`), /"nodes" appears twice/],
    [
      "a number in strings",
      good.replace(`"strings":[`, `"strings":[1,`),
      /"strings" holds something other than a string/,
    ],
    ["trailing data", good + "{}", /unexpected data after the snapshot/],
    [
      "a bad escape",
      good.replace(`"strings":["",`, `"strings":["\\q",`),
      /a bad escape in a string/,
    ],
  ];
  for (const [what, text, message] of cases) {
    assert.notEqual(text, good, what);
    assert.throws(
      () => parseText(text),
      (error) =>
        error instanceof HeapSnapshotSyntaxError && message.test(error.message) &&
        error.offset >= 0,
      what,
    );
  }
});

test("HeapSnapshotParser reports progress in bytes", () => {
  const bytes = encoder.encode(buildSnapshot(SMALL));
  const seen: number[] = [];
  const parser = new HeapSnapshotParser({ onProgress: (read) => seen.push(read) });
  parser.write(bytes.subarray(0, 100));
  parser.write(bytes.subarray(100));
  parser.close();
  assert.deepEqual(seen, [100, bytes.length]);
});

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length;
  }
  return joined;
}

test("HeapSnapshotParser skips a UTF-8 byte-order mark and names UTF-16, zip and gzip input", () => {
  const good = buildSnapshot(SMALL);
  assert.deepEqual(
    parse([new Uint8Array([0xef, 0xbb]), encoder.encode("\u00bf" + good).subarray(1)]),
    parseText(good),
  );
  const cases: [string, number[], RegExp][] = [
    ["UTF-16 LE", [0xff, 0xfe, 0x7b, 0x00], /is UTF-16 text, but a heap snapshot is UTF-8 JSON/],
    ["UTF-16 BE", [0xfe, 0xff, 0x00, 0x7b], /is UTF-16 text/],
    ["zip", [0x50, 0x4b, 0x03, 0x04], /is a zip archive: unzip it first/],
    [
      "gzip",
      [0x1f, 0x8b, 0x08, 0x00],
      /is gzip-compressed: read the file with readHeapSnapshot\(\)/,
    ],
  ];
  for (const [what, bytes, message] of cases) {
    assert.throws(
      () => parse([new Uint8Array(bytes)]),
      (error) => error instanceof HeapSnapshotSyntaxError && message.test(error.message),
      what,
    );
  }
});

test("HeapSnapshotParser refuses a snapshot without nodes, which has no root", () => {
  assert.throws(
    () => parseText(buildSnapshot([])),
    (error) =>
      error instanceof HeapSnapshotSyntaxError &&
      /node_count is 0, but a snapshot holds at least its root/.test(error.message),
  );
});

test("fuzz: any damage to a snapshot's bytes parses, or fails with HeapSnapshotSyntaxError, and what parses can be analysed", () => {
  const bytes = encoder.encode(buildSnapshot(SMALL.map((node) => ({ ...node, selfSize: 7 }))));
  const damage = fc.oneof(
    fc.record({ kind: fc.constant("flip"), at: fc.nat(bytes.length - 1), byte: fc.nat(255) }),
    fc.record({ kind: fc.constant("insert"), at: fc.nat(bytes.length), byte: fc.nat(255) }),
    fc.record({ kind: fc.constant("delete"), at: fc.nat(bytes.length - 1), byte: fc.constant(0) }),
    fc.record({
      kind: fc.constant("digit"),
      at: fc.nat(bytes.length - 1),
      byte: fc.integer({ min: 0x30, max: 0x39 }),
    }),
  );
  fc.assert(
    fc.property(fc.array(damage, { minLength: 1, maxLength: 4 }), (damages) => {
      const damaged = [...bytes];
      for (const { kind, at, byte } of damages) {
        const where = Math.min(at, damaged.length - (kind === "insert" ? 0 : 1));
        if (kind === "insert") damaged.splice(where, 0, byte);
        else if (kind === "delete") damaged.splice(where, 1);
        else damaged[where] = byte;
      }
      let raw: RawHeapSnapshot;
      try {
        raw = parse([Uint8Array.from(damaged)]);
      } catch (error) {
        assert.ok(error instanceof HeapSnapshotSyntaxError, String(error));
        return;
      }
      const snapshot = new HeapSnapshot(raw);
      assert.ok(snapshot.retainedSizes.length === snapshot.nodeCount);
      for (let ordinal = 0; ordinal < snapshot.nodeCount; ordinal++) {
        snapshot.classNameOf(ordinal);
        snapshot.describePath(ordinal);
      }
    }),
    propertyOptions(500),
  );
});
