import assert from "node:assert/strict";
import { test } from "node:test";
import { HeapSnapshot } from "../../src/heap/mod.ts";
import { formatInsights, insights, unboundGrowth } from "../../src/insights/mod.ts";
import { takeHeapSnapshot } from "../../src/runtime/mod.ts";
import { expectedRuntime } from "../_support/runtime.ts";

/** A record as a server keeps it, with a status string built at run time. */
class Reply {
  status: string;
  tags = new Map<string, number>();
  constructor(index: number) {
    this.status = ["accepted", "pending"].join(index < 0 ? "?" : "-");
  }
}

/** Makes a function that keeps a large buffer alive through its scope, unused. */
function makeTicker(): () => number {
  const history = new Array(50_000).fill(0).map((_, i) => ({ i }));
  let ticks = 0;
  return () => history.length > 0 ? ++ticks : ticks;
}

/**
 * The program's data, at module level as a server's would be (Bun's snapshots do not show what
 * a suspended test function's locals hold): replies with a status read at run time, labels and
 * points built by assignment (one holding strings, one numbers, which V8 writes no edges for), and
 * a ticker whose scope keeps a large history it never reads.
 */
const replies = Array.from({ length: 2_000 }, (_, i) => new Reply(i));
const labels = Array.from({ length: 2_000 }, (_, i) => {
  const label: Record<string, string> = {};
  label.text = `label ${i}`;
  label.lang = `lang ${i}`;
  return label;
});
const points = Array.from({ length: 2_000 }, (_, i) => {
  const point: Record<string, number> = {};
  point.x = i;
  point.y = -i;
  return point;
});
const tick = makeTicker();
/** A backlog made for 4,096 entries that holds twenty. */
const backlog: object[] = new Array(4_096);
for (let i = 0; i < 20; i++) backlog[i] = { entry: i };
/** Orders by number, far apart: V8 keeps them in a hash table. */
const ordersByNumber: object[] = [];
for (let i = 0; i < 50; i++) ordersByNumber[100_000 + i * 1_000] = { order: i };

test("insights of this program's own heap name its duplicated strings, empty Maps, oversized and sparse arrays, shapes, scope and global", async () => {
  (globalThis as Record<string, unknown>).heaplerInsightsRegistry = {
    sessions: Array.from({ length: 2_000 }, (_, i) => ({ id: `session ${i}` })),
  };
  try {
    const found = insights(await HeapSnapshot.parse(takeHeapSnapshot()), { limit: 50 });
    const status = found.duplicatedStrings.items.find(({ value }) => value === "accepted-pending");
    assert.ok(status !== undefined && status.copies >= 2_000, `copies: ${status?.copies}`);
    assert.equal(status.holders[0]?.holder, "Reply.status");
    assert.equal(status.wasted, status.bytes - status.bytes / status.copies);
    // Bun's snapshots lose the keys' order: heapler sorts them there.
    const keys = expectedRuntime === "bun" ? "{lang, text}" : "{text, lang}";
    const shape = found.objectShapes.items.find(({ name }) => name === keys);
    assert.ok(shape !== undefined && shape.count >= 2_000, `shape: ${shape?.count}`);
    if (expectedRuntime !== "bun") {
      const numbers = found.objectShapes.items.find(({ name }) => name === "{x, y}");
      assert.ok(numbers !== undefined && numbers.count >= 2_000, `shape: ${numbers?.count}`);
    }
    if (expectedRuntime === "bun") {
      // Bun's snapshots show no Map entries: emptiness cannot be told, and says so.
      assert.equal(found.emptyCollections.count, 0);
      assert.match(found.emptyCollections.explanation, /Bun/);
    } else {
      const maps = found.emptyCollections.items.find(({ kind }) => kind === "Map");
      assert.ok(maps !== undefined && maps.count >= 2_000, `empty Maps: ${maps?.count}`);
      assert.equal(maps.holders[0]?.holder, "Reply.tags");
    }
    if (expectedRuntime === "bun") {
      assert.equal(found.oversizedArrays.count, 0);
      assert.match(found.oversizedArrays.explanation, /Bun/);
    } else {
      const spare = found.oversizedArrays.items.find(({ used }) => used === 20);
      assert.ok(
        spare !== undefined && spare.capacity >= 4_096 && spare.spare >= 4_000 * 8,
        JSON.stringify(found.oversizedArrays.items),
      );
    }
    if (expectedRuntime === "bun") {
      assert.equal(found.sparseArrays.count, 0);
      assert.match(found.sparseArrays.explanation, /Bun/);
    } else {
      const orders = found.sparseArrays.items.find(({ elements }) => elements === 50);
      assert.ok(
        orders !== undefined && orders.last === 149_000 && orders.spare > 0,
        JSON.stringify(found.sparseArrays.items),
      );
    }
    const scope = found.closureScopes.items.find(({ variables }) => variables.includes("history"));
    assert.ok(
      scope !== undefined,
      found.closureScopes.items.map(({ variables }) => variables).join(" / "),
    );
    assert.ok(scope.retained > 50_000 * 12, `retained ${scope.retained}`);
    const global = found.globals.items.find(({ name }) => name === "heaplerInsightsRegistry");
    assert.ok(global !== undefined, found.globals.items.map(({ name }) => name).join(", "));
    assert.ok(global.retained > 2_000 * 20, `retained ${global.retained}`);
    // Nothing the runtime puts on the global object is listed as the program's.
    for (const name of ["process", "console", "setTimeout", "Deno", "Bun", "navigator", "fetch"]) {
      assert.ok(!found.globals.items.some((item) => item.name === name), name);
    }
    assert.ok(
      !found.globals.items.some(({ name }) => name === "__proto__" || name.startsWith("<symbol")),
      "neither the prototype link nor symbol keys are globals",
    );
    assert.ok(formatInsights(found).length > 20);
    assert.ok(
      replies.length + labels.length + points.length + backlog.length + ordersByNumber.length +
          tick() > 0,
    );
  } finally {
    delete (globalThis as Record<string, unknown>).heaplerInsightsRegistry;
  }
});

class Job {
  id = 0;
}
const queue: Job[] = [];

test("unboundGrowth over three snapshots of this program names the growing type and collection", async () => {
  const snapshots: HeapSnapshot[] = [];
  for (let step = 0; step < 3; step++) {
    for (let i = 0; i < 500; i++) queue.push(new Job());
    snapshots.push(await HeapSnapshot.parse(takeHeapSnapshot()));
  }
  const { types, objects } = unboundGrowth(snapshots, { limit: 100 });
  const jobs = types.items.find(({ name }) => name === "Job");
  assert.deepEqual(jobs?.counts, [500, 1_000, 1_500]);
  if (expectedRuntime === "bun") {
    assert.match(objects.explanation, /Bun/);
  } else {
    assert.match(jobs?.example?.path ?? "", /Job$/);
    const growing = objects.items.find(({ type, entries }) =>
      type === "Array" && entries.join() === "500,1000,1500"
    );
    assert.ok(
      growing !== undefined,
      objects.items.map(({ type, entries }) => `${type} ${entries}`).join("; "),
    );
  }
  assert.equal(queue.length, 1_500);
});
