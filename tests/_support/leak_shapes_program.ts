// Runs the leak-shape checks in a process of its own (a small heap: each snapshot takes a
// fraction of a second) and writes one line of JSON per shape, then "done":
//
//   {"shape", "className", "count", "size", "exactSize", "leakFails", "cleanPasses", "tree"}
//
// `count` and `size` are the shape's row in a SummaryTracker diff after every shape leaked 200
// objects, `exactSize` what exactSizeof measures of those 200, `leakFails` whether assertNoLeak of
// a function that leaks one object of every shape per call names the shape, `cleanPasses` whether
// assertNoLeak passes the clean twins of all shapes together, `tree` the referrer tree of the
// shape's last leaked object with the default options. Every shape is measured in the same
// snapshots: twelve in all, not twelve per shape.
import { writeSync } from "node:fs";
import { snapshotWithValues } from "../../src/heap/mod.ts";
import { formatTree, referrerTree } from "../../src/refbrowser/mod.ts";
import { exactSizeof } from "../../src/sizeof/mod.ts";
import { assertNoLeak, LeakError } from "../../src/testing/mod.ts";
import { SummaryTracker } from "../../src/tracker/mod.ts";
import { releaseAll, SHAPES } from "./leak_shapes.ts";

const LEAKED = 200;
const QUICK = { rounds: 3, warmup: 1, calls: 5 };

/** The types assertNoLeak says grew in every round, or none if it passed. */
async function growing(fn: () => unknown): Promise<string[]> {
  try {
    await assertNoLeak(fn, QUICK);
    return [];
  } catch (error) {
    if (error instanceof LeakError) return error.growing.map(([type]) => type);
    throw error;
  }
}

const tracker = new SummaryTracker();
for (const shape of SHAPES) shape.clean(5); // each shape's code runs once before the baseline
await tracker.diff();
let leaked: object[][] | undefined = SHAPES.map((shape) => shape.leak(LEAKED));
const rows = await tracker.diff();
const exactSizes = await Promise.all(
  leaked.map(async (objects) =>
    (await exactSizeof(objects)).reduce((sum, { size }) => sum + size, 0)
  ),
);
// One snapshot for every tree: the last object of each shape, and the list itself, hidden as
// ConsoleBrowser hides its own.
const values: unknown[] = leaked.map((objects) => objects.at(-1));
leaked = undefined;
values.push(values);
const { snapshot, ordinals } = await snapshotWithValues(values);
const trees = SHAPES.map((_, i) =>
  formatTree(referrerTree(snapshot, ordinals[i]!, { hidden: [ordinals.at(-1)!] }), {
    maxdepth: 10,
  }).join("\n")
);
values.length = 0;
const leaking = await growing(() => {
  for (const shape of SHAPES) shape.leak(1);
});
const cleanGrowing = await growing(() => {
  for (const shape of SHAPES) shape.clean(1);
});
releaseAll();
SHAPES.forEach((shape, i) => {
  const row = rows.find(([type]) => type === shape.className);
  const result = {
    shape: shape.name,
    className: shape.className,
    count: row?.[1] ?? 0,
    size: row?.[2] ?? 0,
    exactSize: exactSizes[i],
    leakFails: leaking.includes(shape.className),
    cleanPasses: cleanGrowing.length === 0,
    tree: trees[i]!.trimEnd(),
  };
  writeSync(1, JSON.stringify(result) + "\n");
});
writeSync(1, "done\n");
