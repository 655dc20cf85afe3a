import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import fc from "fast-check";
import {
  ClassTracker,
  ConsoleStats,
  HtmlStats,
  StatsFormatError,
} from "../../src/classtracker/mod.ts";
import { mergeSized } from "../../src/classtracker/internal.ts";
import { main } from "../../src/cli/main.ts";
import { Asized } from "../../src/sizeof/mod.ts";
import { asizeofAll } from "../../src/sizeof/asizeof.ts";
import { captureIo } from "../_support/io.ts";
import { propertyOptions } from "../_support/fc.ts";

function sink(): { write(text: string): void; text(): string; clear(): void } {
  let text = "";
  return {
    write: (chunk) => void (text += chunk),
    text: () => text,
    clear: () => void (text = ""),
  };
}

/** A tracker with a big Foo, ten Bars, and two snapshots. */
async function profiled() {
  const stream = sink();
  const tracker = new ClassTracker({ stream });
  const Foo = tracker.trackClass(
    class Foo {
      items = Array.from({ length: 5000 }, (_, i) => i);
    },
    { resolutionLevel: 2, trace: true },
  );
  const Bar = tracker.trackClass(
    class Bar {
      name = "bar";
    },
  );
  await tracker.createSnapshot("start");
  const foo = new Foo();
  const bars = Array.from({ length: 10 }, () => new Bar());
  await tracker.createSnapshot("filled");
  return { tracker, stream, held: [foo, bars] };
}

test("sortStats sorts by size descending, reverses, combines keys, and refuses unknown keys", async () => {
  const { tracker, held } = await profiled();
  const stats = tracker.stats;
  assert.equal(stats.sortStats("size"), stats);
  assert.equal(stats.sorted[0]!.name, "Foo");
  assert.equal(stats.reverseOrder().sorted[0]!.name, "Bar");
  assert.equal(stats.sortStats("classname", "birth").sorted[0]!.name, "Bar");
  assert.throws(() => stats.sortStats("weight" as never), RangeError);
  assert.deepEqual(stats.trackedClasses, ["Bar", "Foo"]);
  assert.ok(held);
});

test("printStats: limit counts or shares, clsname filters, and each object shows its stack and sizes", async () => {
  const { tracker, stream, held } = await profiled();
  const stats = tracker.stats.sortStats("classname", "birth");
  const headers = () => stream.text().split("\n").filter((line) => /^(Foo|Bar) /.test(line));
  stats.printStats({ limit: 3 });
  assert.equal(headers().length, 3);
  stream.clear();
  stats.printStats({ limit: 0.5 });
  assert.equal(headers().length, Math.round(11 * 0.5));
  stream.clear();
  stats.printStats({ clsname: "Fo" });
  const text = stream.text();
  assert.equal(headers().length, 1);
  assert.ok(!text.includes("Bar"));
  assert.match(text, /^Foo {29} 0x[0-9a-f]{8} Foo/m);
  assert.match(text, /const foo = new Foo\(\);/, "the source line of the construction");
  assert.match(text, /stats_test\.ts: {1,3}\d+ in /);
  assert.match(text, /^ {2}\d\d:\d\d:\d\d\.\d\d {20} +\d+\.\d\d KB$/m);
  assert.match(text, /^ {4}\.?items.* KB +\d+% \[1\]$/m);
  assert.ok(held);
});

test("printSummary uses Pympler's layout and explains pct", async () => {
  const { tracker, stream, held } = await profiled();
  tracker.stats.printSummary();
  const lines = stream.text().split("\n");
  assert.equal(lines[0], `---- SUMMARY ${"-".repeat(66)}`);
  assert.equal(lines[1], `start${" ".repeat(36)}active      0     B      average   pct`);
  assert.equal(lines[2], `  Bar${" ".repeat(41)}0      0     B      0     B    0%`);
  assert.match(lines[6]!, /^ {2}Foo {41}1 +\d+\.\d\d KB +\d+\.\d\d KB +\d+%$/);
  assert.equal(lines[7], "-".repeat(79));
  assert.match(lines[8]!, /^pct: share of /);
  assert.ok(held);
});

test("dump, load, dump is byte-identical and prints the same text; bad files give a clear error", async () => {
  const dir = await mkdtemp(join(tmpdir(), "heapler-stats-"));
  try {
    const { tracker, stream, held } = await profiled();
    const before = tracker.stats.sortStats("size");
    before.printStats();
    before.printSummary();
    const printed = stream.text();
    const first = join(dir, "first.json");
    await before.dumpStats(first);
    const loaded = await ConsoleStats.fromFile(first, { stream: sink() });
    const second = join(dir, "second.json");
    await loaded.dumpStats(second);
    assert.equal(await readFile(second, "utf8"), await readFile(first, "utf8"));
    const again = sink();
    const reloaded = new ConsoleStats({ stream: again });
    await reloaded.loadStats(second);
    reloaded.sortStats("size").printStats();
    reloaded.printSummary();
    assert.equal(again.text(), printed);
    assert.deepEqual(new ConsoleStats().objects, []);

    const bad = join(dir, "bad.json");
    for (
      const [text, message] of [
        ["{not json", /is not JSON/],
        ['{"format":"other"}', /not a heapler stats dump/],
        [
          '{"format":"heapler-classtracker","version":99}',
          /version 99; this heapler reads version 1/,
        ],
        ['{"format":"heapler-classtracker","version":1,"objects":[{}],"snapshots":[]}', /damaged/],
      ] as const
    ) {
      await writeFile(bad, text);
      await assert.rejects(ConsoleStats.fromFile(bad), (error: Error) => {
        assert.ok(error instanceof StatsFormatError);
        assert.match(error.message, message);
        return true;
      });
    }
    assert.ok(held);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("annotateSnapshot is cached, and merged sizes add up by referent name before ':'", async () => {
  const tracker = new ClassTracker({ stream: sink() });
  const Foo = tracker.trackClass(
    class Foo {
      a: number[];
      b = "text";
      constructor(n: number) {
        this.a = Array.from({ length: n }, (_, i) => i * 1.5);
      }
    },
    { resolutionLevel: 2 },
  );
  const f1 = new Foo(10);
  const f2 = new Foo(300);
  const snapshot = await tracker.createSnapshot();
  const stats = tracker.stats;
  const annotation = stats.annotateSnapshot(snapshot);
  assert.equal(stats.annotateSnapshot(snapshot), annotation);
  const merged = annotation.get("Foo")!.merged;
  assert.equal(
    merged.size,
    f1 && f2 && tracker.objects.reduce((sum, o) => sum + o.sizeAt(snapshot.timestamp), 0),
  );
  const a = merged.refs.find((ref) => /^(\[V\] )?\.?a$/.test(ref.name))!;
  assert.equal(a.size, asizeofAll([f1.a, f2.a]));
});

test("mergeSized: the merged size is the sum, for any trees (property)", () => {
  const leaf = fc.record({
    name: fc.constantFrom("[V] a: 1", "[V] a: 2", "[K] b", "c"),
    size: fc.nat(1000),
  });
  fc.assert(
    fc.property(fc.array(fc.array(leaf, { maxLength: 5 }), { maxLength: 6 }), (trees) => {
      const sized = trees.map((refs) => {
        const children = refs.map((ref) => new Asized(ref.size, ref.size, [], ref.name));
        const total = children.reduce((sum, child) => sum + child.size, 8);
        return new Asized(total, 8, children, "Foo");
      });
      const merged = mergeSized("Foo", sized);
      assert.equal(merged.size, sized.reduce((sum, tree) => sum + tree.size, 0));
      const childSum = merged.refs.reduce((sum, ref) => sum + ref.size, 0);
      assert.equal(childSum + merged.flat, merged.size);
      assert.equal(new Set(merged.refs.map((ref) => ref.name)).size, merged.refs.length);
      assert.ok(merged.refs.every((ref) => !ref.name.includes(":")));
    }),
    propertyOptions(200),
  );
});

/** The series of the report that are not classes: the process chart's and the lifetimes'. */
const PROCESS_SERIES = new Set([
  "resident memory (rss)",
  "JS heap in use",
  "tracked objects",
  "tracker overhead",
  "live instances",
]);

test("HtmlStats: one series per class in each chart, a section per class, and heap text stays inert", async () => {
  const tracker = new ClassTracker({ stream: sink() });
  const hostile = "<img src=x onerror=alert(1)>";
  const Evil = tracker.trackClass(class {}, { name: hostile });
  const Good = tracker.trackClass(class Good {});
  const made = [new Evil(), new Good(), new Good()];
  await tracker.createSnapshot("<script>alert(2)</script>");
  const html = new HtmlStats({ tracker }).toHtml({ title: "<b>report</b>" });
  assert.ok(!html.includes("<img") && !html.includes("<script") && !html.includes("<b>report"));
  const series = [...html.matchAll(/class="series" data-series="([^"]*)"/g)].map((m) => m[1]);
  const classes = ["&lt;img src=x onerror=alert(1)&gt;", "Good"];
  assert.deepEqual(
    series.filter((name) => !PROCESS_SERIES.has(name!)).sort(),
    [...classes, ...classes].sort(),
  );
  assert.equal(html.match(/<section class="class"/g)?.length, 2);
  // Lifetimes aggregated per class; the tracker's overhead explained where it is shown.
  assert.match(
    html,
    /<figcaption>Lifetimes: 2 made, 0 collected, 2 alive at the end<\/figcaption>/,
  );
  assert.match(html, /Tracker overhead is what the tracker itself keeps/);
  assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org\/2000\/svg)/, "no network");
  assert.equal(made.length, 3);
});

test("heapler stats prints a dump, filters and limits it, writes HTML, and rejects bad options", async () => {
  const dir = await mkdtemp(join(tmpdir(), "heapler-stats-cli-"));
  try {
    const { tracker, held } = await profiled();
    const dump = join(dir, "profile.json");
    await tracker.stats.dumpStats(dump);
    const io = captureIo();
    assert.equal(
      await main(["stats", dump, "--sort", "size", "--limit", "2", "--class", "Bar"], io),
      0,
    );
    assert.match(io.out(), /---- SUMMARY/);
    assert.equal(io.out().split("\n").filter((line) => /^Bar /.test(line)).length, 2);
    assert.match(io.out(), /\(2 of 10 tracked objects, .*--limit N prints more\)\n$/);
    const json = captureIo();
    assert.equal(await main(["stats", dump, "--limit", "2", "--class", "Bar", "--json"], json), 0);
    const printed = JSON.parse(json.out());
    assert.deepEqual(printed.snapshots.map((snapshot: { desc: string }) => snapshot.desc), [
      "start",
      "filled",
    ]);
    assert.equal(printed.snapshots[1].classes.Bar.active, 10);
    assert.equal(printed.objects.length, 2);
    assert.ok(printed.objects.every((object: { name: string }) => object.name === "Bar"));
    const report = join(dir, "report.html");
    const htmlIo = captureIo();
    assert.equal(await main(["stats", dump, "--html", report, "--title", "Run 1"], htmlIo), 0);
    assert.match(await readFile(report, "utf8"), /<title>Run 1<\/title>/);
    const badSort = captureIo();
    assert.equal(await main(["stats", dump, "--sort", "weight"], badSort), 2);
    assert.match(badSort.err(), /--sort takes/);
    const missing = captureIo();
    await writeFile(join(dir, "x.json"), "[]");
    assert.equal(await main(["stats", join(dir, "x.json")], missing), 1);
    assert.match(missing.err(), /not a heapler stats dump/);
    assert.ok(held);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Every path to a leaf (a string, number or boolean) of a JSON value. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [path];
  return Object.entries(value).flatMap(([key, inner]) =>
    leafPaths(inner, [...path, Array.isArray(value) ? Number(key) : key])
  );
}

/** A record's place as the loader names it: `objects[0].trace[1]`. */
function where(path: (string | number)[]): string {
  return path.reduce<string>(
    (text, key) =>
      typeof key === "number" ? `${text}[${key}]` : text === "" ? key : `${text}.${key}`,
    "",
  );
}

test("loadText refuses a dump with any field of the wrong type, naming the field", async () => {
  const { tracker, held } = await profiled();
  const text = tracker.stats.toJSONText();
  const paths = leafPaths(JSON.parse(text)).filter(([first]) =>
    first === "objects" || first === "snapshots"
  );
  assert.ok(paths.length > 50, `${paths.length} leaves`);
  fc.assert(
    fc.property(
      fc.constantFrom(...paths),
      fc.constantFrom<unknown>("<img src=x onerror=alert(1)>", 7, true, [], {}),
      (path, replacement) => {
        const dump = JSON.parse(text);
        let parent = dump;
        for (const key of path.slice(0, -1)) parent = parent[key];
        const last = path.at(-1)!;
        if (typeof parent[last] === typeof replacement && !Array.isArray(replacement)) return;
        // death and error are a number and a string, or null.
        if (last === "death" && typeof replacement === "number") return;
        if (last === "error" && typeof replacement === "string") return;
        parent[last] = replacement;
        const stats = new ConsoleStats();
        assert.throws(
          () => stats.loadText(JSON.stringify(dump)),
          (error) =>
            error instanceof StatsFormatError &&
            error.message.includes(`${where(path.slice(0, -1))}.${last} is not`),
          path.join("."),
        );
      },
    ),
    propertyOptions(300),
  );
  // A trace line holding markup, the injection of the HTML report, fails at load.
  const dump = JSON.parse(text);
  dump.objects[0].trace[0] = { ...dump.objects[0].trace[0], line: "<script>alert(1)</script>" };
  assert.throws(
    () => new ConsoleStats().loadText(JSON.stringify(dump)),
    /objects\[0\]\.trace\[0\]\.line is not a number/,
  );
  void held;
});

test("HtmlStats pages carry a content security policy that allows no script", async () => {
  const { tracker, held } = await profiled();
  const html = new HtmlStats({ tracker }).toHtml();
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.ok(policy !== undefined, "a CSP meta element");
  assert.match(policy, /default-src 'none'/);
  assert.doesNotMatch(policy, /script-src/);
  assert.doesNotMatch(html, /<script/);
  void held;
});

test("ConsoleStats prints class names, traces and errors with terminal escapes made visible", () => {
  const stream = sink();
  const stats = new ConsoleStats({ stream });
  const name = "Evil\u001b[2J\u001b]0;pwned\u0007";
  stats.loadText(JSON.stringify({
    format: "heapler-classtracker",
    version: 1,
    objects: [{
      id: 1,
      name,
      className: name,
      repr: `${name} 0x1`,
      birth: 1,
      death: null,
      discovered: false,
      resolutionLevel: 0,
      error: "\u001b[31mred",
      trace: [{ file: "/x\u001b[1m.js", line: 1, column: 1, function: "f\u009b" }],
      samples: [{ timestamp: 2, sized: { name, size: 10, flat: 10, refs: [] } }],
    }],
    snapshots: [{
      timestamp: 2,
      desc: "\u001b[5mblink",
      trackedTotal: 10,
      asizeofTotal: 10,
      overhead: 0,
      system: {},
      discoveryFollowed: true,
    }],
  }));
  stats.printStats();
  stats.printSummary();
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  assert.doesNotMatch(stream.text().replaceAll("\n", ""), /[\u0000-\u001f\u007f-\u009f]/);
  assert.match(stream.text(), /Evil\\x1b\[2J/);
});
