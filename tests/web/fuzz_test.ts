import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { HeapSnapshot } from "../../src/heap/mod.ts";
import { createProfilerHandler } from "../../src/web/mod.ts";
import { propertyOptions } from "../_support/fc.ts";
import { buildSnapshot, cacheProgram } from "../_support/snapshot_builder.ts";

const snapshots = await Promise.all(
  [cacheProgram([11, 13, 15]), cacheProgram([11])].map((nodes) =>
    HeapSnapshot.parse(new TextEncoder().encode(buildSnapshot(nodes)))
  ),
);
const files = createProfilerHandler({
  snapshots: snapshots.map((snapshot, i) => ({ snapshot, name: `s${i}.heapsnapshot` })),
});
const remote = createProfilerHandler({
  host: "0.0.0.0",
  requireToken: true,
  snapshots: [{ snapshot: snapshots[0]!, name: "s0.heapsnapshot" }],
});

/** What a route can answer; a 500 (an error heapler did not expect) is never among them. */
const EXPECTED = new Set([200, 303, 400, 401, 403, 404, 405, 409, 413]);

const SECTIONS = [
  "",
  "api",
  "process",
  "progress",
  "summary",
  "refs",
  "graph",
  "garbage",
  "tracker",
  "requests",
  "help",
  "static",
  "type",
  "dot",
  "snapshot",
  "baseline",
  "check",
];
const segment = fc.oneof(
  fc.constantFrom(...SECTIONS),
  fc.integer({ min: -5, max: 40 }).map(String),
  fc.constantFrom(
    "..",
    ".",
    "%2e%2e",
    "%zz",
    "%00",
    "%E2%80%AE",
    "@13",
    "1e309",
    "0x10",
    "9".repeat(30),
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const request = fc.record({
  method: fc.constantFrom("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"),
  segments: fc.array(segment, { maxLength: 4 }),
  query: fc.array(
    fc.tuple(
      fc.constantFrom("limit", "offset", "depth", "reduce", "token", "sort", "x"),
      fc.oneof(fc.integer({ min: -3, max: 1e6 }).map(String), fc.string({ maxLength: 8 })),
    ),
    { maxLength: 3 },
  ),
  host: fc.constantFrom("127.0.0.1:8090", "localhost", "[::1]:1", "evil.example", ""),
  token: fc.option(fc.constantFrom("forged", "", "x".repeat(32)), { nil: undefined }),
  accept: fc.constantFrom("text/html", "application/json", "*/*"),
  body: fc.option(fc.oneof(fc.string({ maxLength: 64 }), fc.constant("token=forged")), {
    nil: undefined,
  }),
});

test("fuzz: random paths, methods, headers and bodies get a planned answer, never a 500", async () => {
  await fc.assert(
    fc.asyncProperty(request, fc.boolean(), async (shape, useRemote) => {
      const handler = useRemote ? remote : files;
      const url = new URL("http://127.0.0.1:8090/");
      url.pathname = "/" + shape.segments.join("/");
      for (const [key, value] of shape.query) url.searchParams.append(key, value);
      const headers = new Headers({ accept: shape.accept });
      if (shape.host !== "") headers.set("host", shape.host);
      if (shape.token !== undefined) headers.set("x-heapler-token", shape.token);
      const body = shape.method === "GET" || shape.method === "HEAD" ? null : shape.body ?? null;
      const response = await handler(new Request(url, { method: shape.method, headers, body }));
      const text = await response.text();
      assert.ok(
        EXPECTED.has(response.status),
        `${response.status} for ${shape.method} ${url}: ${text.slice(-300)}`,
      );
      assert.doesNotMatch(text, /Internal error|at .*\.ts:\d+/);
    }),
    propertyOptions(300),
  );
});
