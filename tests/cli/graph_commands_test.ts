import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.ts";
import { captureIo } from "../_support/io.ts";
import {
  buildSnapshot,
  cacheProgram,
  type NodeSpec,
  ringFreed,
} from "../_support/snapshot_builder.ts";

async function withFiles(
  snapshots: NodeSpec[][],
  run: (paths: string[], directory: string) => Promise<void>,
): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "heapler-cli-graph-"));
  try {
    const paths = await Promise.all(snapshots.map(async (nodes, i) => {
      const path = join(directory, `s${i}.heapsnapshot`);
      await writeFile(path, buildSnapshot(nodes));
      return path;
    }));
    await run(paths, directory);
  } finally {
    await rm(directory, { recursive: true });
  }
}

test("heapler refs prints the referrer tree of an object id", async () => {
  await withFiles([cacheProgram([11, 13])], async ([path]) => {
    const io = captureIo();
    assert.equal(await main(["refs", path!, "--id", "@13"], io), 0);
    assert.equal(io.out().trimEnd(), "Leaky--Map table[1]--global .cache");
    const internals = captureIo();
    assert.equal(await main(["refs", path!, "--id", "@13", "--internals"], internals), 0);
    assert.equal(
      internals.out().trimEnd(),
      "Leaky--(array) [1]--Map (internal) table--global .cache",
    );
    const json = captureIo();
    await main(["refs", path!, "--id", "13", "--depth", "1", "--json", "--internals"], json);
    assert.equal(JSON.parse(json.out()).children[0].record.className, "(array)");
    assert.equal(await main(["refs", path!, "--id", "99"], captureIo()), 1);
    assert.equal(await main(["refs", path!], captureIo()), 2);
  });
});

test("heapler graph draws an object's neighbourhood as SVG or DOT", async () => {
  await withFiles([cacheProgram([11, 13])], async ([path], directory) => {
    const svg = join(directory, "g.svg");
    const io = captureIo();
    assert.equal(await main(["graph", path!, "--id", "5", "-o", svg], io), 0);
    assert.match(io.out(), /^Wrote .*g\.svg \(\d+ objects, \d+ references\)/);
    assert.ok((await readFile(svg, "utf8")).includes('class="node"'));
    const dot = join(directory, "g.dot");
    await main(["graph", path!, "--id", "5", "--depth", "1", "-o", dot], captureIo());
    assert.match(await readFile(dot, "utf8"), /digraph G/);
    assert.equal(
      await main(["graph", path!, "--id", "5", "-o", join(directory, "g.png")], captureIo()),
      2,
    );
  });
});

test("heapler garbage lists what was freed between two snapshots and draws it", async () => {
  await withFiles(
    [cacheProgram([11, 13, 15]), cacheProgram([11])],
    async ([before, after], directory) => {
      const io = captureIo();
      const output = join(directory, "garbage.svg");
      assert.equal(await main(["garbage", before!, after!, "-o", output], io), 0);
      assert.match(io.out(), /^id +size type +representation\n/);
      assert.match(io.out(), /Garbage: +2 collected objects \(0 in cycles\):/);
      assert.match(io.out(), /Wrote .*garbage\.svg/);
      const reduced = captureIo();
      await main(
        ["garbage", before!, after!, "--reduce", "-o", join(directory, "none.svg")],
        reduced,
      );
      assert.match(reduced.out(), /Nothing to draw/);
    },
  );
});

test("heapler garbage and graph print JSON with --json, and a big drawing says what it cut", async () => {
  await withFiles(ringFreed(1500), async ([before, after], directory) => {
    const io = captureIo();
    const output = join(directory, "ring.svg");
    assert.equal(await main(["garbage", before!, after!, "--reduce", "-o", output], io), 0);
    assert.match(io.err(), /drew the first 1000 of 1500 objects/);
    assert.match(await readFile(output, "utf8"), /<svg/);
    const json = captureIo();
    assert.equal(await main(["garbage", before!, after!, "--json"], json), 0);
    const garbage = JSON.parse(json.out());
    assert.equal(garbage.objects.length, 1500);
    assert.equal(garbage.graph.nodes.length, 1500);
    assert.equal(garbage.graph.edges.length, 1500);
    const graph = captureIo();
    assert.equal(await main(["graph", before!, "--id", "5", "--depth", "3", "--json"], graph), 0);
    const drawn = JSON.parse(graph.out());
    assert.equal(drawn.nodes.length, 4);
    assert.ok(drawn.edges.some((edge: { name: string }) => edge.name === ".next"));
  });
});
