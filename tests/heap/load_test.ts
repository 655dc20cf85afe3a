import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  HeapSnapshotSyntaxError,
  parseHeapSnapshot,
  readHeapSnapshot,
} from "../../src/heap/mod.ts";
import { buildSnapshot } from "../_support/snapshot_builder.ts";

const TEXT = buildSnapshot([{ type: "synthetic", name: "root", id: 1, selfSize: 0 }]);

test("parseHeapSnapshot() reads bytes, sync chunks and async chunks alike", async () => {
  const bytes = new TextEncoder().encode(TEXT);
  const fromBytes = await parseHeapSnapshot(bytes);
  assert.deepEqual(await parseHeapSnapshot([bytes.subarray(0, 10), bytes.subarray(10)]), fromBytes);
  async function* chunks() {
    yield bytes.subarray(0, 50);
    yield bytes.subarray(50);
  }
  assert.deepEqual(await parseHeapSnapshot(chunks()), fromBytes);
  assert.deepEqual(fromBytes.strings, ["", "root"]);
});

test("readHeapSnapshot() reads a file, and names the byte where a damaged one fails", async () => {
  const dir = await mkdtemp(join(tmpdir(), "heapler-test-"));
  try {
    const good = join(dir, "good.heapsnapshot");
    writeFileSync(good, TEXT);
    const progress: number[] = [];
    const raw = await readHeapSnapshot(good, { onProgress: (bytes) => progress.push(bytes) });
    assert.equal(raw.nodes.length, raw.header.meta.node_fields.length);
    assert.equal(progress.at(-1), TEXT.length);
    const cut = join(dir, "cut.heapsnapshot");
    writeFileSync(cut, TEXT.slice(0, 300));
    await assert.rejects(
      readHeapSnapshot(cut),
      (error) => error instanceof HeapSnapshotSyntaxError && error.offset === 300,
    );
  } finally {
    await rm(dir, { recursive: true });
  }
});
