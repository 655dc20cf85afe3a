/**
 * The program `heapler demo` investigates: a small request handler with a realistic leak. Each
 * request subscribes a listener to a long-lived event bus so that it can react to a config
 * change, and forgets to unsubscribe; the listener's closure keeps the request's context (and
 * its response, which points back at it) alive for as long as the bus lives. Health checks do
 * the same work and unsubscribe: they allocate and leave nothing behind.
 *
 * @module
 */
import { declareProgramSource } from "../heap/internal.ts";

// This file is the program the demo measures, though it ships in heapler's source.
declareProgramSource(import.meta.url);

/**
 * A minimal event emitter, as found in every server framework. Listeners are kept in a plain
 * object (Bun's heap snapshots do not show what a `Map` holds).
 */
export class EventBus {
  /** Listeners by event name. */
  readonly listeners: Record<string, ((...args: unknown[]) => void)[]> = {};

  /**
   * Subscribes.
   *
   * @param event The event name.
   * @param listener The listener.
   */
  on(event: string, listener: (...args: unknown[]) => void): void {
    (this.listeners[event] ??= []).push(listener);
  }

  /**
   * Unsubscribes.
   *
   * @param event The event name.
   * @param listener The listener given to `on`.
   */
  off(event: string, listener: (...args: unknown[]) => void): void {
    const list = this.listeners[event] ?? [];
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
  }
}

/** What the handler knows of one request. */
export class RequestContext {
  readonly headers: Record<string, string>;
  response: Response | undefined;
  settings: Record<string, unknown> = {};

  /**
   * @param id The request number.
   * @param url The path asked for.
   */
  constructor(readonly id: number, readonly url: string) {
    this.headers = { "accept": "application/json", "x-request-id": `req-${id}` };
  }
}

/** The answer to one request; it points back at its context (a cycle). */
export class Response {
  /**
   * @param context The request answered.
   * @param body The body.
   */
  constructor(readonly context: RequestContext, readonly body: string) {}
}

/**
 * The application's event bus: one per process, published on `globalThis` as frameworks publish
 * their singletons (so that it is the program's, reachable from the global object, even though
 * this module is part of heapler).
 */
export const appEvents: EventBus = ((globalThis as Record<symbol, unknown>)[
  Symbol.for("heapler.demo.appEvents")
] ??= new EventBus()) as EventBus;

/**
 * The server: `handle()` leaks, `healthCheck()` does not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { appEvents, LeakyServer } from "./leaky_app.ts";
 * const server = new LeakyServer();
 * server.handle(1);
 * server.healthCheck();
 * assert(appEvents.listeners["config-changed"]!.length === 1);
 * server.clearListeners();
 * ```
 */
export class LeakyServer {
  /** The bus it subscribes to: whatever its listeners hold lives as long as the process. */
  readonly bus: EventBus = appEvents;

  /**
   * Answers a request, and leaks: the listener is never removed.
   *
   * @param id The request number.
   * @returns The response.
   */
  handle(id: number): Response {
    const context = new RequestContext(id, `/items/${id}`);
    this.bus.on("config-changed", (settings) => {
      context.settings = settings as Record<string, unknown>;
    });
    context.response = new Response(context, JSON.stringify({ id, items: [id, id + 1] }));
    return context.response;
  }

  /** The last health checks' responses, kept for a status page until `flushRecent()`. */
  readonly recent: Response[] = [];

  /** Unsubscribes every listener: what they held can go. */
  clearListeners(): void {
    for (const event of Object.keys(this.bus.listeners)) delete this.bus.listeners[event];
  }

  /** Lets the kept health-check responses go (each is a context ↔ response cycle). */
  flushRecent(): void {
    this.recent.length = 0;
  }

  /**
   * Answers a health check: the same work, and the listener is removed. The response is kept
   * among the recent ones (at most 20).
   *
   * @returns The response.
   */
  healthCheck(): Response {
    const context = new RequestContext(0, "/health");
    const listener = (settings: unknown) => {
      context.settings = settings as Record<string, unknown>;
    };
    this.bus.on("config-changed", listener);
    context.response = new Response(context, '{"ok":true}');
    this.bus.off("config-changed", listener);
    this.recent.push(context.response);
    if (this.recent.length > 20) this.recent.shift();
    return context.response;
  }
}
