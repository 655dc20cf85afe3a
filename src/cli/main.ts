import { parseArgs } from "node:util";
import { environmentVariable, stderr, stdout } from "../runtime/internal.ts";
import { VERSION } from "./version.ts";
import { type CliIo, closest, type Command, UsageError } from "./_command.ts";
import {
  diffCommand,
  leaksCommand,
  snapshotCommand,
  summaryCommand,
  topCommand,
} from "./heap_commands.ts";
import { garbageCommand, graphCommand, refsCommand } from "./graph_commands.ts";
import { insightsCommand } from "./insights_command.ts";
import { demoCommand } from "./demo_command.ts";
import { processCommand } from "./process_command.ts";
import { runCommand } from "./run_command.ts";
import { statsCommand } from "./stats_command.ts";
import { webCommand } from "./web_command.ts";

/** Every verb, in the order `heapler --help` lists them. */
export const COMMANDS: readonly Command[] = [
  demoCommand,
  runCommand,
  webCommand,
  summaryCommand,
  diffCommand,
  topCommand,
  leaksCommand,
  insightsCommand,
  refsCommand,
  graphCommand,
  garbageCommand,
  statsCommand,
  snapshotCommand,
  processCommand,
];

/** The program's own standard streams and environment. */
export const defaultIo: CliIo = { stdout, stderr, env: environmentVariable };

function helpText(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;
  const verbs = COMMANDS.map((command) => `  ${command.name.padEnd(width)}${command.summary}`).join(
    "\n",
  );
  return `heapler ${VERSION}: Pympler for JavaScript, memory analysis for Node, Deno and Bun

Usage: heapler <command> [options]

Commands:
${verbs}

Options:
  -h, --help       Show this help, or a command's with heapler <command> --help
  -v, --version    Show the version

Set NO_COLOR to turn colour off.`;
}

/**
 * Runs the `heapler` command line in process.
 *
 * @param args The arguments after `heapler`.
 * @param io Where output goes and where the environment comes from.
 * @returns The exit code: 0 on success, 1 on failure, 2 on a wrong command line.
 */
export async function main(args: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [verb, ...rest] = args;
  try {
    if (verb === undefined || verb.startsWith("-")) return topLevel(args, io);
    const command = COMMANDS.find((candidate) => candidate.name === verb);
    if (!command) {
      const meant = closest(verb, COMMANDS.map((candidate) => candidate.name));
      throw new UsageError(
        `Unknown command: ${verb}${meant === undefined ? "" : `. Did you mean ${meant}?`}`,
      );
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout.write(command.usage + "\n");
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    return report(error, verb, io);
  }
}

function topLevel(args: readonly string[], io: CliIo): number {
  const { values } = parseArgs({
    args: [...args],
    options: { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } },
    strict: true,
  });
  if (values.version) {
    io.stdout.write(`heapler ${VERSION}\n`);
    return 0;
  }
  io.stdout.write(helpText() + "\n");
  return values.help ? 0 : 2;
}

function report(error: unknown, verb: string | undefined, io: CliIo): number {
  const code = String((error as { code?: unknown } | null)?.code ?? "");
  const usage = error instanceof UsageError || code.startsWith("ERR_PARSE_ARGS");
  const command = COMMANDS.find((candidate) => candidate.name === verb);
  let message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    // parseArgs' own text goes on about '--'; heapler says what it knows, and what was meant.
    const option = /'(-{1,2}[^']*)'/.exec(message)?.[1] ?? "";
    const known = [...new Set((command?.usage ?? helpText()).match(/--[a-z][a-z-]*/g) ?? [])];
    const meant = closest(option, known);
    message = `Unknown option ${option}${
      command === undefined ? "" : ` for heapler ${command.name}`
    }${meant === undefined ? "" : `. Did you mean ${meant}?`}`;
  }
  const hint = usage
    ? ` (see heapler ${command === undefined ? "" : command.name + " "}--help)`
    : "";
  io.stderr.write(`heapler: ${message}${hint}\n`);
  return usage ? 2 : 1;
}
