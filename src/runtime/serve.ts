import { port } from "./_current.ts";
import type { FetchHandler, Listener, ServeOptions } from "./_port.ts";

export type { FetchHandler, Listener, ServeOptions } from "./_port.ts";

/**
 * Answers HTTP requests with a fetch-style handler: `Deno.serve` on Deno, `Bun.serve` on Bun,
 * `node:http` on Node.
 *
 * @param handler What answers each request.
 * @param options The address and port (0: the system chooses).
 * @returns The listening server, with the port it got.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serve } from "./internal.ts";
 * const listener = await serve(() => new Response("hi"), { hostname: "127.0.0.1", port: 0 });
 * const text = await (await fetch(`http://127.0.0.1:${listener.port}/`)).text();
 * await listener.close();
 * assert(text === "hi");
 * ```
 */
export function serve(handler: FetchHandler, options: ServeOptions): Promise<Listener> {
  return port.serve(handler, options);
}
