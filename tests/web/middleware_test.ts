import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { test } from "node:test";
import { ClassTracker } from "../../src/classtracker/mod.ts";
import { createProfilerHandler, MemoryMiddleware } from "../../src/web/mod.ts";

const tracker = new ClassTracker({ stream: { write: () => {} } });
const Order = tracker.trackClass(
  class Order {
    lines = [1, 2, 3];
  },
);
const kept: unknown[] = [];

test("wrap() records each request: path, status, memory before and after, duration", async () => {
  const memory = new MemoryMiddleware();
  const handler = memory.wrap((request) =>
    new Response(new URL(request.url).pathname === "/missing" ? "no" : "ok", {
      status: new URL(request.url).pathname === "/missing" ? 404 : 200,
    })
  );
  assert.equal((await handler(new Request("http://localhost/a?b=1"))).status, 200);
  assert.equal(
    (await handler(new Request("http://localhost/missing", { method: "POST" }))).status,
    404,
  );
  const [last, first] = memory.records;
  assert.equal(first!.path, "/a?b=1");
  assert.equal(first!.method, "GET");
  assert.equal(last!.status, 404);
  assert.equal(last!.method, "POST");
  assert.ok(last!.id > first!.id);
  for (const record of memory.records) {
    assert.ok(record.rssBefore! > 0 && record.rssAfter! > 0);
    assert.ok(record.heapBefore! > 0 && record.heapAfter! > 0);
    assert.ok(record.duration >= 0);
    assert.equal(record.overlapping, 0);
    assert.deepEqual(record.created, {});
  }
});

test("a request's heap change is its own allocations, not the measuring's", async () => {
  const memory = new MemoryMiddleware();
  const handler = memory.wrap(() => new Response("small"));
  for (let i = 0; i < 20; i++) await handler(new Request("http://localhost/small"));
  // Reading /proc allocates some 30 KB on V8 (measured): it stays outside the change. A young
  // collection during a request can make one change negative or large: the median is asked.
  const changes = memory.records.map((record) => record.heapAfter! - record.heapBefore!)
    .sort((a, b) => a - b);
  const median = changes[changes.length >> 1]!;
  assert.ok(median < 16 * 1024, changes.join(" "));
});

test("the instances of tracked classes made during a request are counted", async () => {
  const memory = new MemoryMiddleware({ tracker });
  const handler = memory.wrap(() => {
    for (let i = 0; i < 3; i++) kept.push(new Order());
    return new Response("made three");
  });
  kept.push(new Order()); // outside any request
  await handler(new Request("http://localhost/orders"));
  assert.deepEqual(memory.records[0]!.created, { Order: 3 });
  assert.equal(memory.tracksClasses, true);
});

test("overlapping requests are marked: their deltas are shared", async () => {
  const memory = new MemoryMiddleware();
  let release!: () => void;
  const gate = new Promise<void>((done) => release = done);
  const handler = memory.wrap(async (request) => {
    if (new URL(request.url).pathname === "/slow") await gate;
    return new Response("ok");
  });
  const slow = handler(new Request("http://localhost/slow"));
  await handler(new Request("http://localhost/fast"));
  release();
  await slow;
  const byPath = new Map(memory.records.map((record) => [record.path, record]));
  assert.equal(byPath.get("/fast")!.overlapping, 1);
  assert.equal(byPath.get("/slow")!.overlapping, 1);
  await handler(new Request("http://localhost/alone"));
  assert.equal(memory.records[0]!.overlapping, 0);
});

test("only the latest `limit` requests are kept, newest first; a bad limit is refused", async () => {
  const memory = new MemoryMiddleware({ limit: 3 });
  const handler = memory.wrap(() => new Response("ok"));
  for (let i = 0; i < 5; i++) await handler(new Request(`http://localhost/${i}`));
  assert.deepEqual(memory.records.map((record) => record.path), ["/4", "/3", "/2"]);
  memory.clear();
  assert.equal(memory.records.length, 0);
  assert.throws(() => new MemoryMiddleware({ limit: 0 }), RangeError);
  assert.throws(() => new MemoryMiddleware({ limit: 1.5 }), RangeError);
});

test("a handler that throws is recorded as 500 and the error goes on", async () => {
  const memory = new MemoryMiddleware();
  const handler = memory.wrap(() => {
    throw new Error("boom");
  });
  await assert.rejects(handler(new Request("http://localhost/x")), /boom/);
  assert.equal(memory.records[0]!.status, 500);
});

test("Server-Timing carries the duration and the memory deltas, on request", async () => {
  const plain = new MemoryMiddleware().wrap(() => new Response("ok"));
  assert.equal((await plain(new Request("http://localhost/"))).headers.get("server-timing"), null);
  const timed = new MemoryMiddleware({ serverTiming: true }).wrap(() =>
    new Response("ok", { headers: { "server-timing": "db;dur=2" } })
  );
  const header = (await timed(new Request("http://localhost/"))).headers.get("server-timing")!;
  assert.match(header, /^db;dur=2, app;dur=\d+\.\d, rss;desc="rss [+-]\d/);
  assert.match(header, /heap;desc="heap [+-]\d/);
});

test("as a Hono middleware: records around next() and sets the header on the response", async () => {
  const memory = new MemoryMiddleware({ serverTiming: true, tracker });
  const context = {
    req: { raw: new Request("http://localhost/hono") },
    res: new Response("before"),
  };
  await memory.hono(context, () => {
    kept.push(new Order());
    context.res = new Response("from the route", { status: 201 });
    return Promise.resolve();
  });
  assert.equal(memory.records[0]!.status, 201);
  assert.deepEqual(memory.records[0]!.created, { Order: 1 });
  assert.match(context.res.headers.get("server-timing")!, /app;dur=/);
});

test("wrapNode() measures a node:http listener, headers included", async () => {
  const memory = new MemoryMiddleware({ serverTiming: true, tracker });
  const server = createServer(
    memory.wrapNode((_request: IncomingMessage, response: ServerResponse) => {
      kept.push(new Order(), new Order());
      response.writeHead(202, { "content-type": "text/plain" });
      response.end("accepted");
    }),
  );
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/node?x=1`);
    assert.equal(response.status, 202);
    assert.equal(await response.text(), "accepted");
    assert.match(response.headers.get("server-timing")!, /^app;dur=[\d.]+, rss;desc=/);
    for (let i = 0; i < 50 && memory.records.length === 0; i++) {
      await new Promise((done) => setTimeout(done, 10));
    }
    const [record] = memory.records;
    assert.equal(record!.path, "/node?x=1");
    assert.equal(record!.status, 202);
    assert.deepEqual(record!.created, { Order: 2 });
    assert.equal(memory.records.length, 1, "recorded once, though finish and close both fire");
  } finally {
    await new Promise((done) => server.close(done));
  }
});

test("the Requests page lists them, says overlapping figures are approximate, escapes paths", async () => {
  const memory = new MemoryMiddleware({ tracker });
  const handler = memory.wrap(() => new Response("ok"));
  await handler(new Request("http://localhost/%3Cimg%20src=x%20onerror=alert(1)%3E"));
  const profiler = createProfilerHandler({ requests: memory });
  const page = await (await profiler(new Request("http://127.0.0.1/requests"))).text();
  assert.match(page, /approximate/);
  // One line per row: the time of day shown, the whole date on hover.
  assert.match(page, /<td class="n" title="\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d\.\d{3})Z">\1<\/td>/);
  assert.match(page, /%3Cimg%20src=x%20onerror=alert\(1\)%3E/);
  assert.doesNotMatch(page, /<img/);
  const data = await (await profiler(new Request("http://127.0.0.1/api/requests"))).json();
  assert.equal(data.enabled, true);
  assert.equal(data.tracksClasses, true);
  assert.equal(data.records.length, 1);
  assert.ok(kept.length > 0);
});
