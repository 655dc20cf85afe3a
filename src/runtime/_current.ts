/**
 * Chooses the runtime port, once. The only place that looks at `Deno` and `Bun` globals.
 *
 * @module
 */
import { type BunGlobal, bunPort } from "./_bun.ts";
import type { RuntimePort } from "./_port.ts";
import { type DenoGlobal, denoPort, nodePort } from "./_v8.ts";

function choosePort(): RuntimePort {
  const globals = globalThis as { Bun?: BunGlobal; Deno?: DenoGlobal };
  if (globals.Bun) return bunPort(globals.Bun);
  if (globals.Deno) return denoPort(globals.Deno);
  return nodePort();
}

/** The port of the runtime heapler runs on. */
export const port: RuntimePort = choosePort();
