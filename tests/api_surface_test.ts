import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
// @ts-types="../scripts/api_surface.d.mts"
import { apiSurface } from "../scripts/api_surface.mjs";
import { repoRoot } from "./_support/runtime.ts";

const surface: string = apiSurface();

test("API.md lists exactly the public API (regenerate: node scripts/api_surface.mjs --write)", () => {
  const listed = readFileSync(join(repoRoot, "API.md"), "utf8");
  const actual = surface;
  const [listedLines, actualLines] = [listed.split("\n"), actual.split("\n")];
  const added = actualLines.filter((line) => !listedLines.includes(line));
  const removed = listedLines.filter((line) => !actualLines.includes(line));
  assert.deepEqual({ added, removed }, { added: [], removed: [] });
  assert.equal(actual, listed, "the same lines, in another order");
});

test("the root export is the Pympler-facing API, without heapler's internals", () => {
  const root = surface.split("\n## ")[1]!;
  for (const name of ["asizeof", "SummaryTracker", "ClassTracker", "ReferenceGraph", "muppy"]) {
    assert.match(root, new RegExp(`^- \\w+ \`${name}\\b`, "m"), name);
  }
  for (
    const internal of ["HEAPLER_HOLDER_KEY", "HeapSnapshotParser", "parseStatus", "isAvailable"]
  ) {
    assert.doesNotMatch(surface, new RegExp(`\\b${internal}\\b`), internal);
  }
});
