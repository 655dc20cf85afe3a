/**
 * A fetch-style handler on a `node:http` server: Node's listener (Deno and Bun use their own).
 *
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import {
  type FetchHandler,
  type Listener,
  MAX_REQUEST_BODY,
  plainError,
  type ServeOptions,
} from "./_port.ts";

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
    const body = method === "GET" || method === "HEAD" ? null : bodyStream(incoming);
    // The body streams: the handler reads what it needs (a token check reads none of it).
    const init = { method, headers, body, duplex: "half" } as RequestInit;
    const response = await handler(new Request(url, init));
    const payload = new Uint8Array(await response.arrayBuffer());
    outgoing.writeHead(response.status, Object.fromEntries(response.headers));
    outgoing.end(method === "HEAD" ? undefined : payload);
    incoming.resume(); // what the handler left unread is discarded, not buffered
  } catch {
    const failed = plainError();
    if (!outgoing.headersSent) {
      outgoing.writeHead(failed.status, Object.fromEntries(failed.headers));
    }
    outgoing.end(await failed.text());
  }
}

/** A request's body as a stream that fails past {@linkcode MAX_REQUEST_BODY} bytes. */
function bodyStream(incoming: IncomingMessage): ReadableStream<Uint8Array> {
  const chunks = (incoming as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let length = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await chunks.next();
      if (done) return controller.close();
      length += value.byteLength;
      if (length > MAX_REQUEST_BODY) {
        controller.error(new RangeError(`A request body holds at most ${MAX_REQUEST_BODY} bytes`));
        incoming.resume();
        return;
      }
      controller.enqueue(new Uint8Array(value));
    },
    cancel() {
      incoming.resume();
    },
  });
}
