import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { snapshotWithValues } from "../../src/heap/mod.ts";
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

test("pictures in headless Chromium: every label inside its shape, none overlapping or clipped, 50 components in a block", async () => {
  const output = join(repoRoot, "tests", "output");
  mkdirSync(output, { recursive: true });
  const runtime = expectedRuntime ?? "unknown";
  const session = new Session();
  const cycles = Array.from({ length: 50 }, () => {
    const context = new RequestContext();
    context.response = new Response(context);
    return context;
  });
  const { snapshot, ordinals } = await snapshotWithValues([session]);
  const pictures: [name: string, svg: string][] = [
    [
      "reference-graph",
      await new ReferenceGraph([session, session.user, session.handlers]).toSvg(),
    ],
    [
      "cycles-50",
      await new ReferenceGraph(cycles.flatMap((context) => [context, context.response])).toSvg(),
    ],
    [
      "leak-path",
      await ReferenceGraph.fromSnapshot(snapshot, [snapshot.idOf(ordinals[0]!)]).toSvg(),
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
