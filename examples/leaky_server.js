// A server that leaks, for `heapler run`: every request subscribes a listener to a long-lived
// event bus to react to config changes, and never unsubscribes, so each request's context stays
// alive. It serves simulated requests for a few seconds, then exits.
//
//   heapler run --interval 1s -- node examples/leaky_server.js [seconds] [exit code]
//
// Plain JavaScript: it runs unchanged on Node, Deno and Bun.
import process from "node:process";

/** The application's event bus: one per process, for as long as the process lives. */
const bus = globalThis.appBus ??= { listeners: { "config-changed": [] } };

class RequestContext {
  constructor(id) {
    this.id = id;
    this.url = `/items/${id}`;
    this.headers = { accept: "application/json", "x-request-id": `req-${id}` };
    this.settings = {};
  }
}

let served = 0;

function handle() {
  const context = new RequestContext(++served);
  // The leak: subscribed for the request's lifetime, never unsubscribed.
  bus.listeners["config-changed"].push((settings) => {
    context.settings = settings;
  });
  return JSON.stringify({ id: context.id });
}

const seconds = Number(process.argv[2] ?? 6);
const exitCode = Number(process.argv[3] ?? 0);
const traffic = setInterval(() => {
  for (let i = 0; i < 50; i++) handle();
}, 20);
setTimeout(() => {
  clearInterval(traffic);
  process.stdout.write(`served ${served} requests\n`);
  process.exitCode = exitCode;
}, seconds * 1000);
