/**
 * What `heapler run` costs a server: the same HTTP server, on each runtime, serves as many
 * requests as it can for a while, on its own and under `heapler run` with the default schedule
 * (or the interval given). The server holds a store of records (a heap of some megabytes, so
 * that a summary costs what it costs in a real program) and keeps a bounded cache of recent
 * responses.
 *
 * The figure is the server's CPU time per request (Linux `/proc`, the server's process tree,
 * heapler's command included): on this shared two-core machine throughput alone varies by 10-20 %
 * from one run of the same server to the next, while the work a request costs does not. The
 * requests answered are printed too.
 *
 *   node --import ./tests/_support/register_ts.mjs bench/run_overhead_bench.ts [seconds] [--interval 5s] [--leak] [runtime ...]
 *
 * With `--leak`, the server also keeps a small record of every tenth request for good: a heap
 * that grows, so that summaries run on Bun too (where, by default, the first snapshot waits for
 * the heap to grow).
 *
 * Defaults: 60 seconds of load per run (the default schedule spaces summaries out: a short run
 * would miss the cost of the next), the default interval, node, deno and bun. The load comes
 * from this process: 16 requests in flight on kept-alive connections, on a core of its own
 * (Linux). Each runtime runs alone, watched, watched, alone, and the two sides are summed.
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { nodeExecutable } from "../tests/_support/runtime.ts";

const root = join(import.meta.dirname ?? ".", "..");
const args = process.argv.slice(2);
const seconds = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 60);
const intervalAt = args.indexOf("--interval");
const interval = intervalAt >= 0 ? args[intervalAt + 1] : undefined;
const leak = args.includes("--leak");
const named = args.filter((arg) => arg === "node" || arg === "deno" || arg === "bun");
const runtimes = named.length > 0 ? named : ["node", "deno", "bun"];
const IN_FLIGHT = 16;

const SERVER = `import { createServer } from "node:http";
import process from "node:process";
class Customer {
  constructor(id) {
    this.id = id;
    this.name = "customer " + id;
    this.email = "c" + id + "@example.com";
    this.orders = Array.from({ length: 4 }, (_, i) => ({ sku: "sku-" + ((id * 7 + i) % 997), quantity: i + 1 }));
  }
}
const store = Array.from({ length: 30000 }, (_, id) => new Customer(id));
const recent = new Map();
const forgotten = [];
let served = 0;
createServer((req, res) => {
  const id = (served++ * 7919) % store.length;
  const body = JSON.stringify(store[id]);
  recent.set(served, body);
  if (${leak} && served % 10 === 0) forgotten.push({ served, at: Date.now() });
  if (recent.size > 500) recent.delete(recent.keys().next().value);
  res.setHeader("content-type", "application/json");
  res.end(body);
}).listen(Number(process.argv[2]), "127.0.0.1", () => process.stdout.write("listening\\n"));
`;

const dir = mkdtempSync(join(tmpdir(), "heapler-run-bench-"));
const serverFile = join(dir, "server.mjs");
writeFileSync(serverFile, SERVER);

/** A free TCP port on loopback. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The command that starts the server on a runtime, with or without heapler run. */
function serverCommand(runtime: string, port: number, underHeapler: boolean): string[] {
  const runtimeBin = runtime === "node"
    ? nodeExecutable()
    : join(root, "node_modules/.bin", runtime);
  const program = runtime === "deno"
    ? [runtimeBin, "run", "-A", serverFile, String(port)]
    : [runtimeBin, serverFile, String(port)];
  if (!underHeapler) return program;
  const heapler = [nodeExecutable(), "--import", join(root, "tests/_support/register_ts.mjs")];
  const intervalArgs = interval === undefined ? [] : ["--interval", interval];
  return [
    ...heapler,
    join(root, "cli.ts"),
    "run",
    "--out",
    join(dir, "report"),
    ...intervalArgs,
    "--",
    ...program,
  ];
}

/** The prefix that runs a command on one core, where `taskset` exists (Linux). */
function pinned(core: number): string[] {
  return spawnSync("taskset", ["-c", String(core), "true"]).status === 0
    ? ["taskset", "-c", String(core)]
    : [];
}

/** Sends requests, `IN_FLIGHT` at a time, for `seconds`, and counts the answers. */
async function load(port: number, during = seconds): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const until = performance.now() + during * 1000;
  let answered = 0;
  const worker = async () => {
    while (performance.now() < until) {
      await new Promise<void>((resolve, reject) => {
        const sent = request({ host: "127.0.0.1", port, path: "/", agent }, (response) => {
          response.resume();
          response.on("end", () => {
            answered++;
            resolve();
          });
        });
        sent.on("error", reject);
        sent.end();
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  agent.destroy();
  return answered;
}

/**
 * CPU seconds a process and its descendants have used (Linux `/proc`: user and system time of
 * every thread), or undefined where `/proc` is missing.
 */
function treeCpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    // After the name: state is field 3, utime 14 and stime 15 (1-based over the whole line).
    let ticks = Number(fields[11]) + Number(fields[12]);
    let children: string[] = [];
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      children = children.concat(
        readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim().split(" ").filter(
          Boolean,
        ),
      );
    }
    for (const child of children) ticks += (treeCpuSeconds(Number(child)) ?? 0) * CLOCK_TICKS;
    return ticks / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Linux's clock ticks per second, in which `/proc` counts CPU time. */
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

interface Run {
  /** Requests answered. */
  answered: number;
  /** CPU seconds the server (with heapler, when watched) used while loaded. */
  cpu: number | undefined;
  /** What heapler printed, and its report. */
  said: string;
}

/** Starts the server, loads it, stops it: the requests answered, the CPU used, what heapler said. */
async function measure(runtime: string, underHeapler: boolean, during = seconds): Promise<Run> {
  const port = await freePort();
  // The server (and heapler's command above it) on one core, the load on the other.
  const [exe, ...rest] = [...pinned(0), ...serverCommand(runtime, port, underHeapler)];
  const child = spawn(exe!, rest, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let said = "";
  child.stderr.on("data", (chunk) => said += chunk);
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk) => String(chunk).includes("listening") && resolve());
    child.once("exit", (code) => reject(new Error(`the server ended (${code}): ${said}`)));
  });
  let answered = 0;
  let cpu: number | undefined;
  try {
    const before = treeCpuSeconds(child.pid!);
    answered = await load(port, during);
    const after = treeCpuSeconds(child.pid!);
    if (before !== undefined && after !== undefined) cpu = after - before;
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    // The report's first line says how long the summaries took.
    if (underHeapler && during === seconds) {
      said += readFileSync(join(dir, "report", "report.txt"), "utf8");
    }
  }
  return { answered, cpu, said };
}

/** Requests answered per CPU second over some runs (undefined without CPU figures). */
function perCpuSecond(runs: readonly Run[]): number | undefined {
  const cpu = runs.reduce((sum, run) => sum + (run.cpu ?? NaN), 0);
  return Number.isNaN(cpu) ? undefined : runs.reduce((sum, run) => sum + run.answered, 0) / cpu;
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

if (pinned(1).length > 0) spawnSync("taskset", ["-pc", "1", String(process.pid)]);
try {
  for (const runtime of runtimes) {
    // The load's own code is compiled first, so that the first run does not pay for it; then
    // alone, watched, watched, alone: a drift of the machine over the runs falls on both sides.
    await measure(runtime, false, 10);
    const first = await measure(runtime, false);
    const watched = [await measure(runtime, true), await measure(runtime, true)];
    const last = await measure(runtime, false);
    const alone = [first, last];
    const answered = (runs: readonly Run[]) => runs.reduce((sum, run) => sum + run.answered, 0);
    const summaries = watched.map(({ said }) =>
      said.match(/^\[heapler\] [\d.]+ s:/gm)?.length ?? 0
    );
    const spent = watched.map(({ said }) => said).join("").match(/took [\d.]+ s of [\d.]+ s/g) ??
      [];
    const [aloneRate, watchedRate] = [perCpuSecond(alone), perCpuSecond(watched)];
    process.stdout.write(
      `${runtime}${leak ? ", leaking" : ""}: ${summaries.join(" and ")} summaries (${
        spent.join(", ") || "no report"
      }); ` +
        (aloneRate === undefined || watchedRate === undefined
          ? ""
          : `requests per CPU second ${aloneRate.toFixed(0)} alone, ${
            watchedRate.toFixed(0)
          } watched: ${
            percent(1 - watchedRate / aloneRate)
          } of the server's work goes to heapler; `) +
        `throughput ${answered(alone)} alone, ${answered(watched)} watched: ${
          percent(1 - answered(watched) / answered(alone))
        } lost (the runs alone differ by ${
          percent(Math.abs(first.answered - last.answered) / (answered(alone) / 2))
        })\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
