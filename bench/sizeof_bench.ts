/**
 * Sizes a 1,000,000-object structure with heapler's `asizeof` and with `object-sizeof` in the
 * same run, and prints both times, the ratio, and each one's error against the exact figure
 * from a heap snapshot (heapler's exact mode).
 *
 *   node --import ./tests/_support/register_ts.mjs bench/sizeof_bench.ts [objects]
 *
 * @module
 */
import process from "node:process";
import objectSizeof from "object-sizeof";
import { asizeof } from "../src/sizeof/asizeof.ts";
import { exactSizeof } from "../src/sizeof/mod.ts";

const objects = Number(process.argv[2] ?? 1_000_000);

/** A server-like cache: records with strings, numbers, nested arrays, grouped in a Map. */
function build(count: number): Map<number, unknown[]> {
  const groups = new Map<number, unknown[]>();
  const perGroup = 100;
  for (let group = 0; group < count / (perGroup * 4); group++) { // four objects a record
    groups.set(
      group,
      Array.from({ length: perGroup }, (_, i) => ({
        id: group * perGroup + i,
        name: `user-${group}-${i}`,
        score: i + 0.5,
        tags: [i % 7, i % 11],
      })),
    );
  }
  return groups;
}

function time<T>(run: () => T): { seconds: number; value: T } {
  const started = performance.now();
  const value = run();
  return { seconds: (performance.now() - started) / 1000, value };
}

const data = build(objects);
const [exact] = await exactSizeof([data]);
const truth = exact!.size;
const ours = time(() => asizeof(data, { limit: Infinity }));
const peer = time(() => objectSizeof(data) as unknown as number);
const error = (estimate: number) => `${(((estimate - truth) / truth) * 100).toFixed(1)}%`;

process.stdout.write(
  [
    `structure of about ${objects.toLocaleString("en")} objects; exact size ${
      truth.toLocaleString("en")
    } B (heap snapshot)`,
    `  heapler asizeof  ${ours.seconds.toFixed(2).padStart(6)} s  ${
      ours.value.toLocaleString("en").padStart(14)
    } B  error ${error(ours.value)}`,
    `  object-sizeof    ${peer.seconds.toFixed(2).padStart(6)} s  ${
      Number(peer.value).toLocaleString("en").padStart(14)
    } B  error ${error(Number(peer.value))}`,
    `  object-sizeof / heapler: time ×${(peer.seconds / ours.seconds).toFixed(2)}, error ×${
      (Math.abs(Number(peer.value) - truth) / Math.max(1, Math.abs(ours.value - truth))).toFixed(1)
    }`,
  ].join("\n") + "\n",
);
