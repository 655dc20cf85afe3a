import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import {
  HeapSnapshotSyntaxError,
  parseHeapSnapshot,
  readHeapSnapshot,
} from "../../src/heap/mod.ts";
import { buildSnapshot } from "../_support/snapshot_builder.ts";

const encoder = new TextEncoder();
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

test("readHeapSnapshot() unpacks a gzip-compressed file as it streams, and names damaged gzip", async () => {
  const dir = await mkdtemp(join(tmpdir(), "heapler-test-"));
  try {
    const packed = join(dir, "good.heapsnapshot.gz");
    const bytes = gzipSync(TEXT);
    writeFileSync(packed, bytes);
    assert.deepEqual(await readHeapSnapshot(packed), await parseHeapSnapshot(encoder.encode(TEXT)));
    // In chunks of 7 bytes, as a slow stream would deliver it.
    const chunks = Array.from(
      { length: Math.ceil(bytes.length / 7) },
      (_, i) => bytes.subarray(i * 7, i * 7 + 7),
    );
    assert.deepEqual(
      await parseHeapSnapshot(chunks),
      await parseHeapSnapshot(encoder.encode(TEXT)),
    );
    const damaged = Uint8Array.from(bytes);
    damaged[12] = damaged[12]! ^ 0xff;
    damaged[20] = damaged[20]! ^ 0xff;
    await assert.rejects(
      parseHeapSnapshot(damaged),
      (error) =>
        error instanceof HeapSnapshotSyntaxError && /gzip data is damaged/.test(error.message),
    );
  } finally {
    await rm(dir, { recursive: true });
  }
});

test("a snapshot without nodes is refused with a typed error by every loader", async () => {
  await assert.rejects(
    parseHeapSnapshot(encoder.encode(buildSnapshot([]))),
    (error) => error instanceof HeapSnapshotSyntaxError && /node_count is 0/.test(error.message),
  );
});
