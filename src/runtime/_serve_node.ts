/**
 * A fetch-style handler on a `node:http` server: Node's listener (Deno and Bun use their own).
 *
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { FetchHandler, Listener, ServeOptions } from "./_port.ts";

/** The largest request body read; heapler's own forms send a few bytes. */
const BODY_LIMIT = 1 << 20;

/**
 * Listens with `node:http` and answers each request with `handler`. The module is loaded on first
 * use: a program that never serves does not carry it in its heap.
 */
export async function serveWithNodeHttp(
  handler: FetchHandler,
  options: ServeOptions,
): Promise<Listener> {
  const { createServer } = await import("node:http");
  const server = createServer((incoming, outgoing) => {
    void answer(handler, incoming, outgoing, options.hostname, server.address());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : options.port;
      resolve({
        hostname: options.hostname,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
        unref: () => void server.unref(),
      });
    });
  });
}

async function answer(
  handler: FetchHandler,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  hostname: string,
  address: ReturnType<Server["address"]>,
): Promise<void> {
  try {
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const host = hostname.includes(":") ? `[${hostname}]` : hostname;
    const url = new URL(`http://${host}:${port}`);
    const [path = "/", query] = (incoming.url ?? "/").split("?", 2);
    url.pathname = path;
    if (query !== undefined) url.search = query;
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const method = incoming.method ?? "GET";
    const body = method === "GET" || method === "HEAD" ? undefined : await readBody(incoming);
    if (body === null) {
      outgoing.writeHead(413, { "content-type": "text/plain; charset=utf-8" });
      outgoing.end("Request body too large\n");
      return;
    }
    const response = await handler(new Request(url, { method, headers, body: body ?? null }));
    const payload = new Uint8Array(await response.arrayBuffer());
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(method === "HEAD" ? undefined : payload);
  } catch (error) {
    if (!outgoing.headersSent) {
      outgoing.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    }
    outgoing.end(`Internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/** The body's bytes, or null past the limit. */
async function readBody(incoming: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | null> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of incoming as AsyncIterable<Uint8Array>) {
    length += chunk.byteLength;
    if (length > BODY_LIMIT) return null;
    chunks.push(chunk);
  }
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
