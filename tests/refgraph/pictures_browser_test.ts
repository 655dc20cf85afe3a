import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { endDebugGarbage, GarbageGraph, startDebugGarbage } from "../../src/garbagegraph/mod.ts";
import { snapshotWithValues } from "../../src/heap/mod.ts";
import { programRetainingPath } from "../../src/heap/internal.ts";
import { ownersTreemap } from "../../src/insights/mod.ts";
import { ReferenceGraph } from "../../src/refgraph/mod.ts";
import { checkInBrowser } from "../_support/browser.ts";
import { expectedRuntime, repoRoot } from "../_support/runtime.ts";

/** The widest a drawing of 50 components may be, in CSS pixels: a block, not one long row. */
const GRID_WIDTH_LIMIT = 2_400;

class Session {
  user = { name: "ada", roles: ["admin", "dev"] };
  handlers: Record<string, () => void> = { close: () => {} };
}

class RequestContext {
  response?: Response;
}
class Response {
  constructor(readonly context: RequestContext) {}
}

/** Labels as long as a drawing keeps (48 characters), in wide letters. */
const longLabels = {
  aPropertyNameLongEnoughToFillItsLabel: {
    WWWWMMMMWWWWMMMMWWWWMMMMWWWWMMMMWWWWMMMMWWWWMMMM: "mmmm".repeat(12),
  },
};

/** 50 context ↔ response cycles, the garbage graph's components. */
function makeCycles(): RequestContext[] {
  return Array.from({ length: 50 }, () => {
    const context = new RequestContext();
    context.response = new Response(context);
    return context;
  });
}

/**
 * The garbage graph of 50 freed cycles, as `heapler garbage` and the demo draw it. Bun's ids are
 * not stable between snapshots, so there GarbageGraph refuses, and the same cycles are drawn
 * from the live values.
 */
async function garbageOf50Cycles(): Promise<ReferenceGraph> {
  let cycles: RequestContext[] | undefined = makeCycles();
  try {
    await startDebugGarbage();
  } catch {
    return new ReferenceGraph(cycles.flatMap((context) => [context, context.response]));
  }
  cycles = undefined;
  const garbage = await GarbageGraph.take({ reduce: true });
  endDebugGarbage();
  const ours = garbage.graph.nodes.flatMap((node, i) =>
    node.className === "RequestContext" || node.className === "Response" ? [i] : []
  );
  assert.equal(ours.length, 100, "the 50 cycles were freed and seen");
  return garbage.graph.subgraph(ours);
}

test("pictures in headless Chromium: every label inside its shape, none overlapping or clipped, 50 garbage cycles in a block", async () => {
  const output = join(repoRoot, "tests", "output");
  mkdirSync(output, { recursive: true });
  const runtime = expectedRuntime ?? "unknown";
  const session = new Session();
  (globalThis as Record<string, unknown>).heaplerPictureSession = session;
  const garbage = await garbageOf50Cycles();
  const { snapshot, ordinals } = await snapshotWithValues([session]);
  delete (globalThis as Record<string, unknown>).heaplerPictureSession;
  const leakPath = programRetainingPath(snapshot, ordinals[0]!).map((edge) => edge.target.id);
  assert.ok(leakPath.length >= 2, "a path from the global to the session");
  const pictures: [name: string, svg: string][] = [
    [
      "reference-graph",
      await new ReferenceGraph([session, session.user, session.handlers]).toSvg(),
    ],
    ["garbage-50", await garbage.toSvg()],
    [
      "leak-path",
      await ReferenceGraph.fromSnapshot(snapshot, leakPath, { depth: 0, internals: true }).toSvg(),
    ],
    [
      "neighbourhood",
      await ReferenceGraph.fromSnapshot(snapshot, [snapshot.idOf(ordinals[0]!)]).toSvg(),
    ],
    [
      "long-labels",
      await new ReferenceGraph([
        longLabels,
        longLabels.aPropertyNameLongEnoughToFillItsLabel,
        longLabels.aPropertyNameLongEnoughToFillItsLabel
          .WWWWMMMMWWWWMMMMWWWWMMMMWWWWMMMMWWWWMMMMWWWWMMMM,
      ]).toSvg(),
    ],
    ["treemap", ownersTreemap(snapshot)],
  ];
  // Each drawing inline in a page, as the web front end and the reports show them.
  const files = pictures.map(([name, svg]) => {
    const file = join(output, `picture-${runtime}-${name}.html`);
    writeFileSync(file, `<!DOCTYPE html><html><body style="margin:0">${svg}</body></html>`);
    return { file, screenshot: join(output, `picture-${runtime}-${name}.png`) };
  });
  const seen = checkInBrowser(files);
  for (const page of seen) {
    assert.deepEqual(page.errors, [], page.file);
    assert.ok(page.geometry.labels > 0, `${page.file} has labels`);
    assert.deepEqual(page.geometry.outside, [], `${page.file}: labels outside their shapes`);
    assert.deepEqual(page.geometry.overlaps, [], `${page.file}: overlapping labels`);
    assert.deepEqual(page.geometry.clipped, [], `${page.file}: labels the bounds clip`);
  }
  const grid = seen[1]!;
  assert.ok(
    grid.box !== null && grid.box.width < GRID_WIDTH_LIMIT,
    `50 components ${grid.box?.width} px wide`,
  );
});
