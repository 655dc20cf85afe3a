import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../_support/io.ts";
import { HeapSnapshot } from "../../src/heap/mod.ts";
import fc from "fast-check";
import {
  formatGrowth,
  formatInsights,
  growingTypes,
  insights,
  unboundGrowth,
} from "../../src/insights/mod.ts";
import type { SummaryRow } from "../../src/summary/mod.ts";
import { propertyOptions } from "../_support/fc.ts";
import { buildSnapshot, type NodeSpec } from "../_support/snapshot_builder.ts";
import {
  ARRAYS_PROGRAM,
  growthProgram,
  STALE_PROGRAM,
  WASTEFUL_PROGRAM,
} from "../_support/insight_programs.ts";

const encoder = new TextEncoder();

async function parse(nodes: NodeSpec[]): Promise<HeapSnapshot> {
  return await HeapSnapshot.parse(encoder.encode(buildSnapshot(nodes)));
}

test("insights on a hand-built heap: duplicated strings, empty arrays, shapes, scopes and globals, exactly", async () => {
  const found = insights(await parse(WASTEFUL_PROGRAM));
  assert.deepEqual(found.duplicatedStrings.items, [{
    value: "ok",
    copies: 3,
    bytes: 60,
    wasted: 40,
    ids: [17, 19, 21],
    holders: [{ holder: "Object.status", objects: 3 }],
  }]);
  assert.equal(found.duplicatedStrings.bytes, 40);
  assert.deepEqual(found.emptyCollections.items, [{
    kind: "Array",
    count: 2,
    bytes: 32,
    ids: [13, 15],
    holders: [{ holder: "Array element", objects: 2 }],
  }]);
  assert.deepEqual(found.objectShapes.items, [{
    name: "{status, code}",
    keys: ["status", "code"],
    count: 3,
    bytes: 136,
    saving: 16,
    ids: [7, 9, 11],
    holders: [{ holder: "Array element", objects: 3 }],
  }]);
  assert.deepEqual(found.closureScopes.items, [{
    id: 31,
    retained: 1024,
    variables: ["buffer"],
    functions: ["onTick"],
    closures: 1,
    script: "file:///app.js",
  }]);
  // store: 32 + 136 (objects) + 60 ("ok") + 32 (empty arrays) + 16 ("E1"); onTick: itself, its
  // scope and buffer, its code and script; Array is the language's.
  assert.deepEqual(found.globals.items.map(({ name, type, retained }) => [name, type, retained]), [
    ["onTick", "closure (onTick)", 1108],
    ["store", "Array", 276],
    ["config", "Object", 40],
  ]);
  const text = formatInsights(found).join("\n");
  assert.match(text, /^Duplicated strings: 1 value held in copies, 40 B to save$/m);
  assert.match(text, /"ok" \|\s+3 \|\s+60 B \|\s+40 B \|\s+Object\.status × 3 \|\s+@17 @19 @21/);
  assert.match(text, /\{status, code\} \|\s+3 \|/);
  assert.match(text, /Global variables: 3 properties the program added/);
  assert.ok(text.split("\n").every((line) => line.length <= 100), "explanations wrap");
});

test("oversized arrays on a hand-built heap: a store of 1,000 slots for two tasks, not a full one, not one of small integers", async () => {
  const found = insights(await parse(ARRAYS_PROGRAM)).oversizedArrays;
  assert.deepEqual(found.items, [{
    id: 5,
    capacity: 1000,
    used: 2,
    spare: 998 * 8,
    holders: [{ holder: "global.queue", objects: 1 }],
  }]);
  assert.equal(found.bytes, 998 * 8);
  assert.equal(found.count, 1);
  const text = formatInsights(insights(await parse(ARRAYS_PROGRAM))).join("\n");
  assert.match(text, /^Oversized arrays: 1 array with spare storage, 7\.80 KB unused$/m);
  assert.match(text, /@5 \|\s+1000 \|\s+2 \|\s+7\.80 KB \|\s+global\.queue/);
});

test("sparse arrays on a hand-built heap: two tasks at indices 3 and 40,000 in a hash table, not a list with spare slots", async () => {
  const found = insights(await parse(ARRAYS_PROGRAM)).sparseArrays;
  assert.deepEqual(found.items, [{
    id: 23,
    elements: 2,
    last: 40000,
    storage: 144,
    spare: 144 - 4 * 8,
    holders: [{ holder: "global.byIndex", objects: 1 }],
  }]);
  assert.equal(found.bytes, 112);
  assert.equal(found.count, 1);
  const text = formatInsights(insights(await parse(ARRAYS_PROGRAM))).join("\n");
  assert.match(text, /^Sparse arrays: 1 array with hash-table storage, 112 B beyond a list$/m);
  assert.match(text, /@23 \|\s+2 \|\s+40000 \|\s+144 B \|\s+112 B \|\s+global\.byIndex/);
});

test("stale collections on a hand-built page: a Set of two detached nodes, an array with one, not the array of an attached one", async () => {
  const found = insights(await parse(STALE_PROGRAM)).staleCollections;
  assert.deepEqual(found.items.map(({ holders: _, ...item }) => item), [
    { id: 7, kind: "Set", entries: 2, detached: 2, retained: 260 },
    { id: 5, kind: "Array", entries: 2, detached: 1, retained: 150 },
  ]);
  assert.equal(found.bytes, 410);
  assert.deepEqual(found.items.map(({ holders }) => holders.map(({ holder }) => holder)), [
    ["global.removed"],
    ["global.cache"],
  ]);
  const text = formatInsights(insights(await parse(STALE_PROGRAM))).join("\n");
  assert.match(
    text,
    /^Stale collections: 2 collections holding detached objects, 410 B retained$/m,
  );
  const none = insights(await parse(ARRAYS_PROGRAM)).staleCollections;
  assert.equal(none.count, 0);
  assert.match(none.explanation, /no detached objects/);
});

test("unboundGrowth over three hand-built snapshots: the growing type, its newest object, the growing collections", async () => {
  const snapshots = [
    await parse(growthProgram(1)),
    await parse(growthProgram(2)),
    await parse(growthProgram(3)),
  ];
  const { types, shapes, objects } = unboundGrowth(snapshots);
  const order = types.items.find(({ name }) => name === "Order");
  assert.deepEqual(order?.counts, [1, 2, 3]);
  assert.deepEqual(order?.sizes, [40, 80, 120]);
  assert.equal(order?.example?.id, 105);
  assert.match(order?.example?.path ?? "", /\.orders → Array/);
  assert.ok(!types.items.some(({ name }) => name === "Fixed"));
  assert.equal(shapes.count, 0);
  assert.deepEqual(
    objects.items.map(({ type, id, entries, sizes }) => [type, id, entries, sizes]),
    [["Array", 5, [1, 2, 3], [24, 32, 40]], ["Map", 7, [1, 2, 3], [48, 56, 64]]],
  );
  const text = formatGrowth({ types, shapes, objects }).join("\n");
  assert.match(text, /Order \| +1 → 2 → 3 \| +\+80 B \| +@105/);
  assert.throws(() => unboundGrowth(snapshots.slice(0, 2)), RangeError);
});

test("growingTypes() lists the types whose count rose at every step, by bytes grown, from summaries alone", () => {
  const found = growingTypes([
    [["Order", 100, 4000], ["Object", 50, 800], ["Cache", 1, 64]],
    [["Order", 200, 8000], ["Object", 40, 640], ["Cache", 2, 128], ["Late", 1, 16]],
    [["Order", 300, 12000], ["Object", 60, 960], ["Cache", 3, 192], ["Late", 2, 32]],
  ], { limit: 2 });
  assert.deepEqual(found.items, [
    { name: "Order", counts: [100, 200, 300], sizes: [4000, 8000, 12000] },
    { name: "Cache", counts: [1, 2, 3], sizes: [64, 128, 192] },
  ]);
  assert.equal(found.count, 3, "Late too: absent counts 0");
  assert.equal(found.bytes, 8000 + 128 + 32);
  assert.throws(() => growingTypes([[], []]), RangeError);
  // For any series: a type is listed exactly when each count exceeds the one before.
  const row = fc.tuple(fc.constantFrom("A", "B", "C"), fc.nat(50), fc.nat(5000));
  fc.assert(
    fc.property(
      fc.array(fc.uniqueArray(row, { selector: ([type]) => type }), { minLength: 3, maxLength: 6 }),
      (summaries) => {
        const listed = new Set(
          growingTypes(summaries as SummaryRow[][], { limit: 10 }).items.map((item) => item.name),
        );
        return ["A", "B", "C"].every((type) => {
          const counts = summaries.map((rows) => rows.find(([name]) => name === type)?.[1] ?? 0);
          const rising = counts.every((count, step) => step === 0 || count > counts[step - 1]!);
          return listed.has(type) === rising;
        });
      },
    ),
    propertyOptions(),
  );
});

test("heapler insights prints each insight for one file, growth for three, JSON on request, and refuses two", async () => {
  const directory = await mkdtemp(join(tmpdir(), "heapler-insights-"));
  try {
    const write = async (name: string, nodes: NodeSpec[]) => {
      const path = join(directory, name);
      await writeFile(path, buildSnapshot(nodes));
      return path;
    };
    const one = await write("program.heapsnapshot", WASTEFUL_PROGRAM);
    const io = captureIo();
    assert.equal(await main(["insights", one], io), 0);
    assert.match(io.out(), /^Duplicated strings: 1 value held in copies, 40 B to save$/m);
    assert.match(
      io.out(),
      /^Global variables: 3 properties the program added, 1\.39 KB retained$/m,
    );
    assert.doesNotMatch(io.out(), /Growing types/);
    const series = [
      await write("a.heapsnapshot", growthProgram(1)),
      await write("b.heapsnapshot", growthProgram(2)),
      await write("c.heapsnapshot", growthProgram(3)),
    ];
    const grown = captureIo();
    assert.equal(await main(["insights", ...series], grown), 0);
    assert.match(grown.out(), /^Growing types: 1 type grew at every step/m);
    assert.match(grown.out(), /Order \|\s+1 → 2 → 3 \|/);
    const json = captureIo();
    assert.equal(await main(["insights", ...series, "--json", "--limit", "1"], json), 0);
    const parsed = JSON.parse(json.out());
    assert.deepEqual(parsed.growth.types.items[0].counts, [1, 2, 3]);
    assert.equal(parsed.duplicatedStrings.count, 0);
    const refused = captureIo();
    assert.equal(await main(["insights", one, one], refused), 2);
    assert.match(refused.err(), /three or more/);
  } finally {
    await rm(directory, { recursive: true });
  }
});
