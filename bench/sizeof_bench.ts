/**
 * Sizes a 1,000,000-object structure with heapler's `asizeof` and with `object-sizeof` in the
 * same run, and prints both times, the ratio (and that of a bare walk that runs no user code, the
 * bound for any safe sizer), and each one's error against the exact figure
 * from a heap snapshot (heapler's exact mode). Then the same errors on structures from real
 * programs, held out from the tests: a TypeScript AST of a package's source, this project's
 * lock file parsed, adjacency Sets grown by `add`, a ring buffer of events, rows built by
 * assignment.
 *
 *   node --import ./tests/_support/register_ts.mjs bench/sizeof_bench.ts [objects]
 *   npx deno run -A bench/sizeof_bench.ts [objects]
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import process from "node:process";
import objectSizeof from "object-sizeof";
import { asizeof } from "../src/sizeof/asizeof.ts";
import { exactSizeof } from "../src/sizeof/mod.ts";

const objects = Number(process.argv[2] ?? 1_000_000);
const root = new URL("../", import.meta.url);

/** A server-like cache: records with strings, numbers, nested arrays, grouped in a Map. */
function build(count: number): Map<number, unknown[]> {
  const groups = new Map<number, unknown[]>();
  const perGroup = 100;
  for (let group = 0; group < count / (perGroup * 4); group++) { // four objects a record
    groups.set(
      group,
      Array.from({ length: perGroup }, (_, i) => ({
        id: group * perGroup + i,
        name: `user-${group}-${i}`,
        score: i + 0.5,
        tags: [i % 7, i % 11],
      })),
    );
  }
  return groups;
}

/** Structures real programs hold, built the way those programs build them. */
function heldOut(): Record<string, unknown> {
  const require = createRequire(root);
  const ts = require("typescript");
  const source = readFileSync(new URL("node_modules/esbuild/lib/main.js", root), "utf8");
  const graph = new Map<number, Set<number>>();
  for (let node = 0; node < 2000; node++) {
    const edges = new Set<number>();
    for (let j = 0; j < node % 17; j++) edges.add((node * 31 + j * 7) % 2000);
    graph.set(node, edges);
  }
  const ring: unknown[] = new Array(512).fill(null);
  for (let i = 0; i < 2000; i++) ring[i % 512] = { at: i, value: i * 1.5, tag: `event-${i}` };
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 1000; i++) {
    const row: Record<string, unknown> = {};
    row.id = i;
    row.name = `name-${i}`;
    row.price = i % 3 ? i : i + 0.25;
    row.quantity = i % 5;
    row.active = true;
    rows.push(row);
  }
  return {
    "TypeScript AST of esbuild/lib/main.js": ts.createSourceFile("main.js", source, 99, true),
    "package-lock.json, parsed": JSON.parse(
      readFileSync(new URL("package-lock.json", root), "utf8"),
    ),
    "adjacency Sets grown by add": graph,
    "ring buffer of 512 events": ring,
    "1,000 rows built by assignment": rows,
  };
}

function time<T>(run: () => T): { seconds: number; value: T } {
  const started = performance.now();
  const value = run();
  return { seconds: (performance.now() - started) / 1000, value };
}

/**
 * The least a walk that runs no user code must do: list each object's own keys, read each
 * through its descriptor (a getter is never called), follow Map and Set entries, and visit each
 * object and each string value once. No sizing. object-sizeof 2.x does none of this on Node: it
 * serializes the value with the engine's native `JSON.stringify` (which calls getters), so this
 * walk's time bounds how close to object-sizeof's speed a safe sizer can come.
 *
 * @returns Values visited.
 */
function bareSafeWalk(root: unknown): number {
  const seen = new Set<unknown>();
  const stack = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === "string") seen.add(value);
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Map) { for (const [key, entry] of value) stack.push(key, entry); }
    else if (value instanceof Set) { for (const entry of value) stack.push(entry); }
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key)!;
      if ("value" in descriptor) stack.push(descriptor.value);
    }
  }
  return seen.size;
}

/** An estimate's error, or what the estimator gave instead of a number. */
const percent = (estimate: unknown, truth: number, complete = true) =>
  (!complete
    ? "n/a"
    : typeof estimate === "number"
    ? `${(((estimate - truth) / truth) * 100).toFixed(1)}%`
    : estimate instanceof Error
    ? "Error"
    : String(estimate)).padStart(7);

const data = build(objects);
const [exact] = await exactSizeof([data]);
const truth = exact!.size;
const ours = time(() => asizeof(data, { limit: Infinity }));
const peer = time(() => objectSizeof(data) as unknown as number);
const bare = time(() => bareSafeWalk(data));
const lines = [
  `structure of about ${objects.toLocaleString("en")} objects; exact size ${
    truth.toLocaleString("en")
  } B (heap snapshot)`,
  `  heapler asizeof  ${ours.seconds.toFixed(2).padStart(6)} s  ${
    ours.value.toLocaleString("en").padStart(14)
  } B  error ${percent(ours.value, truth, exact!.complete)}`,
  `  object-sizeof    ${peer.seconds.toFixed(2).padStart(6)} s  ${
    Number(peer.value).toLocaleString("en").padStart(14)
  } B  error ${percent(peer.value, truth, exact!.complete)}`,
  `  bare safe walk   ${
    bare.seconds.toFixed(2).padStart(6)
  } s  (descriptors, each object and string once, no sizing)`,
  `  heapler's speed is ${
    (peer.seconds / ours.seconds).toFixed(2)
  } of object-sizeof's; a bare safe walk's ${(peer.seconds / bare.seconds).toFixed(2)}`,
  "",
  "held-out structures: exact (snapshot), heapler's error, object-sizeof's error",
];
const structures = heldOut();
const measured = await exactSizeof(Object.values(structures));
Object.entries(structures).forEach(([name, value], i) => {
  const { size, complete } = measured[i]!;
  lines.push(
    `  ${name.padEnd(40)} ${size.toLocaleString("en").padStart(10)} B  ${
      percent(asizeof(value, { limit: Infinity }), size, complete)
    }  ${percent(objectSizeof(value), size, complete)}`,
  );
});
if (measured.some(({ complete }) => !complete) || !exact!.complete) {
  lines.push("  n/a: this engine's snapshot leaves part of the value out (Bun: elements, entries)");
}
process.stdout.write(lines.join("\n") + "\n");
