import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  diffById,
  findLeaks,
  isLiteralBoilerplate,
  UnstableIdsError,
} from "../../src/heap/diff.ts";
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

test("isLiteralBoilerplate() is true only for what allocation sites alone hold", async () => {
  //   root ─[0]→ site ─transition_info→ boilerplate
  //        ─[1]→ site2 ─transition_info→ shared ←.kept─ holder ←[2]─ root
  const snapshot = await HeapSnapshot.parse(encoder.encode(buildSnapshot([
    {
      type: "synthetic",
      name: "",
      id: 1,
      selfSize: 0,
      edges: [
        { type: "element", name: 0, to: 1 },
        { type: "element", name: 1, to: 3 },
        { type: "element", name: 2, to: 5 },
      ],
    },
    {
      type: "code",
      name: "system / AllocationSite",
      id: 3,
      selfSize: 32,
      edges: [{ type: "internal", name: "transition_info", to: 2 }],
    },
    { type: "object", name: "Object", id: 5, selfSize: 24 },
    {
      type: "code",
      name: "system / AllocationSite",
      id: 7,
      selfSize: 32,
      edges: [{ type: "internal", name: "transition_info", to: 4 }],
    },
    { type: "object", name: "Object", id: 9, selfSize: 24 },
    {
      type: "object",
      name: "Holder",
      id: 11,
      selfSize: 24,
      edges: [{ type: "property", name: "kept", to: 4 }],
    },
  ])));
  assert.equal(isLiteralBoilerplate(snapshot, snapshot.ordinalOf(5)), true);
  assert.equal(isLiteralBoilerplate(snapshot, snapshot.ordinalOf(9)), false);
  assert.equal(isLiteralBoilerplate(snapshot, snapshot.ordinalOf(11)), false);
  assert.equal(isLiteralBoilerplate(snapshot, snapshot.root), false);
});
