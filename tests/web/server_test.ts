import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { serve } from "../../src/runtime/internal.ts";
import { startInBackground, startProfiler } from "../../src/web/mod.ts";

test("startInBackground() serves the pages on the runtime's own listener, then closes", async () => {
  const profiler = await startInBackground({ port: 0 });
  try {
    assert.match(profiler.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal(profiler.port, Number(new URL(profiler.url).port));
    const page = await fetch(profiler.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Process overview/);
    const data = await (await fetch(new URL("/api/process", profiler.url))).json();
    assert.ok(data.memory.rss > 0);
    const form = await fetch(new URL("/summary/snapshot", profiler.url), {
      method: "POST",
      body: new URLSearchParams({ token: profiler.token }),
      redirect: "manual",
    });
    assert.equal(form.status, 303);
    assert.equal(form.headers.get("location"), "/summary");
    await form.body?.cancel();
    const forged = await fetch(new URL("/summary/snapshot", profiler.url), {
      method: "POST",
      body: new URLSearchParams({ token: "forged" }),
    });
    assert.equal(forged.status, 403);
    await forged.body?.cancel();
  } finally {
    await profiler.close();
  }
  await assert.rejects(fetch(profiler.url));
});

test("a busy port is a clear error, not a silent second server", async () => {
  const first = await startInBackground({ port: 0 });
  try {
    await assert.rejects(startInBackground({ port: first.port }), /in use|EADDRINUSE|AddrInUse/i);
  } finally {
    await first.close();
  }
});

test("listening off loopback needs remote: true, and then the URL carries the token", async () => {
  await assert.rejects(startInBackground({ host: "0.0.0.0", port: 0 }), RangeError);
  await assert.rejects(startInBackground({ port: 70000 }), RangeError);
  const profiler = await startInBackground({ host: "0.0.0.0", port: 0, remote: true });
  try {
    assert.match(profiler.url, /^http:\/\/0\.0\.0\.0:\d+\/\?token=[0-9a-f]{32}$/);
    const local = `http://127.0.0.1:${profiler.port}`;
    const refused = await fetch(`${local}/api/process`);
    assert.equal(refused.status, 401);
    await refused.body?.cancel();
    const welcomed = await fetch(`${local}/api/process?token=${profiler.token}`);
    assert.equal(welcomed.status, 200);
    assert.match(welcomed.headers.get("set-cookie")!, /^heapler_token=/);
    await welcomed.body?.cancel();
  } finally {
    await profiler.close();
  }
});

test("a Host naming another site is refused over real HTTP", async () => {
  const profiler = await startInBackground({ port: 0 });
  try {
    const { request } = await import("node:http");
    const status = await new Promise<number>((done, fail) => {
      const outgoing = request({
        host: "127.0.0.1",
        port: profiler.port,
        path: "/api/process",
        headers: { host: "attacker.example" },
      }, (incoming) => {
        incoming.resume();
        done(incoming.statusCode ?? 0);
      });
      outgoing.on("error", fail);
      outgoing.end();
    });
    assert.equal(status, 403);
  } finally {
    await profiler.close();
  }
});

test("startProfiler() tells its address and serves until the signal aborts", async () => {
  const stop = new AbortController();
  let told = "";
  const served = startProfiler({
    port: 0,
    signal: stop.signal,
    stream: { write: (text: string) => void (told += text) },
  });
  for (let i = 0; i < 100 && told === ""; i++) await new Promise((done) => setTimeout(done, 20));
  const url = told.match(/http:\/\/\S+/)?.[0];
  assert.ok(url, told);
  assert.equal((await fetch(new URL("/help", url))).status, 200);
  stop.abort();
  await served;
  await assert.rejects(fetch(url));
});

test("serve() hands the handler method, path, query, headers and body", async () => {
  const listener = await serve(async (request) => {
    const url = new URL(request.url);
    return Response.json({
      method: request.method,
      path: url.pathname,
      query: url.search,
      custom: request.headers.get("x-custom"),
      body: await request.text(),
    }, { status: 201, headers: { "x-answer": "42" } });
  }, { hostname: "127.0.0.1", port: 0 });
  try {
    const response = await fetch(`http://127.0.0.1:${listener.port}/a/b%20c?x=1&y=2`, {
      method: "POST",
      headers: { "x-custom": "yes" },
      body: "token=abc",
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("x-answer"), "42");
    assert.deepEqual(await response.json(), {
      method: "POST",
      path: "/a/b%20c",
      query: "?x=1&y=2",
      custom: "yes",
      body: "token=abc",
    });
  } finally {
    await listener.close();
  }
});

/** Sends raw bytes to a listener and returns what came back, as text. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(text));
    let answer = "";
    socket.on("data", (chunk) => answer += chunk);
    socket.on("close", () => done(answer));
    socket.on("error", fail);
  });
}

test("an HTTP/1.0 request without Host gets heapler's own answer, never a runtime's error page", async () => {
  const profiler = await startInBackground({ port: 0 });
  try {
    const answer = await rawRequest(profiler.port, "GET / HTTP/1.0\r\n\r\n");
    assert.match(answer, /^HTTP\/1\.[01] (200|400) /);
    assert.doesNotMatch(answer, /\.ts:\d+|handler\.ts|at <anonymous>|Internal Server Error/);
  } finally {
    await profiler.close();
  }
});

test("serve() answers a handler that throws with a plain 500 that names nothing", async () => {
  const listener = await serve(() => {
    throw new Error("secret at /home/me/app.ts:12");
  }, { hostname: "127.0.0.1", port: 0 });
  try {
    const response = await fetch(`http://127.0.0.1:${listener.port}/`);
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.equal(text, "heapler: internal error\n");
  } finally {
    await listener.close();
  }
});

test("a large POST without the token is refused before its body is read, on the runtime's listener", async () => {
  const profiler = await startInBackground({ port: 0 });
  try {
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 50 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(new URL("/summary/snapshot", profiler.url), {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit).catch((error: Error) => error);
    // The server answers 413 and stops reading; a client may see the refusal or a closed stream.
    if (response instanceof Response) {
      assert.equal(response.status, 413);
      await response.body?.cancel();
    }
    assert.ok(sent < 50 * 1024 * 1024, `${sent} bytes sent: the server read the whole body`);
  } finally {
    await profiler.close();
  }
});
