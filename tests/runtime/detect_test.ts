import assert from "node:assert/strict";
import { test } from "node:test";
import { detectRuntime, takeHeapSnapshot } from "../../src/runtime/mod.ts";
import { expectedRuntime } from "../_support/runtime.ts";

test("detectRuntime() names the runtime the runner started", () => {
  const info = detectRuntime();
  assert.ok(["node", "deno", "bun"].includes(info.runtime));
  if (expectedRuntime) assert.equal(info.runtime, expectedRuntime);
  assert.equal(info.engine, info.runtime === "bun" ? "jsc" : "v8");
  assert.match(info.version, /^\d+\.\d+/);
});

test("detectRuntime() is cached and returns a copy", () => {
  const first = detectRuntime();
  first.runtime = "node";
  first.pointerCompression = !first.pointerCompression;
  assert.notDeepEqual(detectRuntime(), first);
});

class PointerProbe {
  a = 1;
  b = 2;
  c = 3;
}

test("detectRuntime().pointerCompression agrees with the object sizes of a heap snapshot", async (t) => {
  const { pointerCompression, engine } = detectRuntime();
  if (engine !== "v8") {
    assert.equal(pointerCompression, false);
    return t.skip("JavaScriptCore has no pointer compression");
  }
  // Instances made after slack tracking ends (the first few carry spare slots) have the exact size.
  const probes = Array.from({ length: 30 }, () => new PointerProbe());
  const snapshot = await parsedSnapshot();
  const fields = snapshot.snapshot.meta.node_fields;
  const nameOffset = fields.indexOf("name");
  const sizeOffset = fields.indexOf("self_size");
  const nameIndex = snapshot.strings.indexOf("PointerProbe");
  const sizes: number[] = [];
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    if (snapshot.nodes[i + nameOffset] === nameIndex) sizes.push(snapshot.nodes[i + sizeOffset]!);
  }
  assert.ok(sizes.length >= probes.length, `found ${sizes.length} PointerProbe nodes`);
  // map + properties + elements + three in-object fields: 6 tagged words.
  // The most common size is the instances' (the prototype object has the class name too).
  assert.equal(mostCommon(sizes), pointerCompression ? 24 : 48);
});

/** The running program's snapshot through the JSON parser, for small heaps only. */
export async function parsedSnapshot(): Promise<{
  snapshot: {
    meta: { node_fields: string[]; edge_fields: string[]; node_types: unknown[] };
    node_count: number;
    edge_count: number;
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of takeHeapSnapshot()) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function mostCommon(values: number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
