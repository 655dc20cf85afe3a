/**
 * How a real program's arrays are laid out, from its heap snapshot: how many hold exactly their
 * elements' slots (as `map`, `Array.from`, literals and `JSON.parse` make them), how many the
 * slots `push` grows to (by half again, plus 16), how many more. `asizeof` cannot see an array's
 * capacity and assumes the common case this survey shows. The program is TypeScript's compiler
 * type-checking heapler, kept alive while the snapshot is taken.
 *
 *   node --import ./tests/_support/register_ts.mjs bench/layout_survey.ts
 *   npx deno run -A bench/layout_survey.ts
 *
 * Only arrays whose elements are objects count: a snapshot shows no small integers, so the
 * length of an array of numbers cannot be read.
 *
 * @module
 */
import { createRequire } from "node:module";
import process from "node:process";
import { HeapSnapshot } from "../src/heap/mod.ts";
import { takeHeapSnapshot } from "../src/runtime/mod.ts";

const root = new URL("../", import.meta.url);
const ts = createRequire(root)("typescript");
const program = ts.createProgram([new URL("mod.ts", root).pathname], {
  noEmit: true,
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  allowImportingTsExtensions: true,
  skipLibCheck: true,
});
const diagnostics = ts.getPreEmitDiagnostics(program).length;

/** The capacities `push` grows an array through, from empty: 17, 43, 82, 140… */
const pushed: number[] = [];
for (let capacity = 17; capacity < 2 ** 31; capacity += ((capacity + 1) >> 1) + 17) {
  pushed.push(capacity);
}

const snapshot = await HeapSnapshot.parse(takeHeapSnapshot());
const counts = { exact: 0, pushed: 0, more: 0 };
for (let node = 0; node < snapshot.nodeCount; node++) {
  if (snapshot.typeOf(node) !== "object" || snapshot.nameOf(node) !== "Array") continue;
  let last = -1;
  let elements = 0;
  let store = -1;
  for (const edge of snapshot.node(node).edges()) {
    if (edge.type === "element") {
      elements++;
      last = Math.max(last, Number(edge.name));
    } else if (edge.type === "internal" && edge.name === "elements") store = edge.target.ordinal;
  }
  if (store < 0 || elements === 0 || last !== elements - 1) continue;
  if (snapshot.node(store).retainers().length !== 1) continue; // a literal's shared store
  const capacity = (snapshot.raw.selfSizes[store]! - 16) / 8;
  const length = last + 1;
  if (capacity === length) counts.exact++;
  else if (capacity === pushed.find((slots) => slots >= length)) counts.pushed++;
  else if (capacity > length) counts.more++;
}
const total = counts.exact + counts.pushed + counts.more;
const share = (count: number) => `${count} (${((100 * count) / total).toFixed(0)} %)`;
process.stdout.write(
  [
    `TypeScript's compiler checking heapler (${diagnostics} diagnostics), ${total} arrays of objects:`,
    `  exactly their length     ${share(counts.exact)}`,
    `  as push grows them       ${share(counts.pushed)}`,
    `  more slots than either   ${share(counts.more)}`,
  ].join("\n") + "\n",
);
(globalThis as Record<string, unknown>).surveyedProgram = program; // kept alive until here
