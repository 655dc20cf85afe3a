import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import process from "node:process";
import { takeHeapSnapshot, writeHeapSnapshot } from "../../src/runtime/mod.ts";
import { parsedSnapshot } from "./detect_test.ts";

const MARKER_KEY = "__heapler_test_marker_7f3a";

test("takeHeapSnapshot() yields a V8 snapshot that parses as JSON with its meta fields", async () => {
  const holder = { [MARKER_KEY]: { payload: "x" } };
  const snapshot = await parsedSnapshot();
  const meta = snapshot.snapshot.meta;
  for (const field of ["type", "name", "id", "self_size", "edge_count"]) {
    assert.ok(meta.node_fields.includes(field), field);
  }
  assert.deepEqual(meta.edge_fields, ["type", "name_or_index", "to_node"]);
  assert.equal(snapshot.nodes.length, snapshot.snapshot.node_count * meta.node_fields.length);
  assert.equal(snapshot.edges.length, snapshot.snapshot.edge_count * meta.edge_fields.length);
  assert.ok(snapshot.strings.includes(MARKER_KEY), "the marker key is in the strings table");
  assert.ok(holder[MARKER_KEY]);
});

test("takeHeapSnapshot() leaves no temporary file behind, even when not read to the end", async () => {
  // Only this process's snapshot files: other test files make heapler-* directories meanwhile.
  const ours = (name: string) => name.startsWith(`heapler-${process.pid}-`);
  const before = new Set(readdirSync(tmpdir()).filter(ours));
  for await (const chunk of takeHeapSnapshot()) {
    assert.ok(chunk.length > 0);
    break;
  }
  const after = readdirSync(tmpdir()).filter((name) => ours(name) && !before.has(name));
  assert.deepEqual(after, []);
});

test("writeHeapSnapshot() writes the whole file and nothing else", async () => {
  const dir = await mkdtemp(join(tmpdir(), "heapler-test-"));
  try {
    const path = join(dir, "s.heapsnapshot");
    assert.equal(await writeHeapSnapshot(path), path);
    assert.deepEqual(readdirSync(dir), ["s.heapsnapshot"]);
    const parsed = JSON.parse(readFileSync(path, "utf8"));
    assert.ok(Array.isArray(parsed.nodes) && parsed.nodes.length > 0);
  } finally {
    await rm(dir, { recursive: true });
  }
});
