import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diffById, findLeaks, UnstableIdsError } from "../../src/heap/diff.ts";
import { HeapSnapshot } from "../../src/heap/heap_snapshot.ts";
import { writeHeapSnapshot } from "../../src/runtime/mod.ts";
import { buildSnapshot, type NodeSpec } from "../_support/snapshot_builder.ts";
import { expectedRuntime } from "../_support/runtime.ts";

const encoder = new TextEncoder();

function objects(ids: number[]): NodeSpec[] {
  return [
    {
      type: "synthetic",
      name: "",
      id: 1,
      selfSize: 0,
      edges: ids.map((_, i) => ({ type: "element", name: i, to: i + 1 })),
    },
    ...ids.map((id) => ({ type: "object", name: `O${id}`, id, selfSize: 8 })),
  ];
}

async function fromIds(ids: number[]): Promise<HeapSnapshot> {
  return await HeapSnapshot.parse(encoder.encode(buildSnapshot(objects(ids))));
}

test("diffById() lists ids only in the later snapshot as added, only in the earlier as removed", async () => {
  const before = await fromIds([9, 3, 5, 7]);
  const after = await fromIds([11, 5, 3, 13]);
  const { added, removed } = diffById(before, after);
  assert.deepEqual([...added].map((n) => after.idOf(n)), [11, 13]);
  assert.deepEqual([...removed].map((n) => before.idOf(n)), [7, 9]);
  const same = diffById(before, before);
  assert.equal(same.added.length + same.removed.length, 0);
});

test("diffById() and findLeaks() refuse snapshots whose ids are not stable", async () => {
  const bunLike = await fromIds([2, 3, 4]); // the root is 1: ids count the nodes
  const stable = await fromIds([3, 5, 7]);
  assert.throws(() => diffById(bunLike, stable), UnstableIdsError);
  assert.throws(() => findLeaks(stable, bunLike, stable), /number their objects afresh/);
});

class LeakyThing {
  payload = [1, 2, 3].map((n) => ({ n }));
}
class TransientThing {
  payload = [4, 5, 6];
}
const module = { kept: [] as LeakyThing[] };

test("findLeaks() finds what an action allocated and left alive, grouped, with a path", {
  skip: expectedRuntime === "bun" ? "Bun's snapshot ids change every time (measured)" : false,
}, async () => {
  const directory = await mkdtemp(join(tmpdir(), "heapler-leaks-"));
  try {
    const [baseline, target, final] = ["a", "b", "c"].map((name) =>
      join(directory, `${name}.heapsnapshot`)
    );
    await writeHeapSnapshot(baseline!);
    let transient: TransientThing[] = [];
    for (let i = 0; i < 300; i++) {
      module.kept.push(new LeakyThing());
      transient.push(new TransientThing());
    }
    await writeHeapSnapshot(target!);
    transient = [];
    await writeHeapSnapshot(final!);
    const groups = findLeaks(
      await HeapSnapshot.read(baseline!),
      await HeapSnapshot.read(target!),
      await HeapSnapshot.read(final!),
    );
    const leaky = groups.find((group) => group.className === "LeakyThing");
    assert.ok(leaky, "LeakyThing is reported");
    assert.equal(leaky.count, 300);
    assert.ok(leaky.retainedSize > leaky.selfSize);
    assert.match(leaky.path, /\.kept → Array/);
    assert.equal(groups.find((group) => group.className === "TransientThing"), undefined);
    assert.equal(transient.length, 0);
  } finally {
    await rm(directory, { recursive: true });
  }
});
