import assert from "node:assert/strict";
import { platform } from "node:process";
import { test } from "node:test";
import { isAvailable, parseStatus } from "../../src/process/internal.ts";
import { ProcessMemoryInfo } from "../../src/process/mod.ts";
import { collectGarbage } from "../../src/runtime/mod.ts";

test("ProcessMemoryInfo figures are plausible", () => {
  const info = new ProcessMemoryInfo();
  assert.equal(info.update(), true);
  assert.ok(info.rss !== undefined && info.rss > 1024 * 1024, `rss ${info.rss}`);
  assert.ok(info.pid > 0);
  assert.ok((info.heapUsed ?? 1) > 0);
  // On Linux /proc is there (the runner gives Deno -A): a broken read must fail here, not pass.
  if (platform === "linux") assert.equal(info.available, true, `unknown: ${info.unknown.join()}`);
  if (info.available) {
    assert.ok(info.vsz !== undefined && info.vsz >= info.rss, "vsz >= rss");
    assert.ok(info.pagesize !== undefined && info.pagesize >= 4096);
    assert.ok(info.osSpecific.some(([label]) => label === "Resident set size"));
    assert.ok(
      (info.dataSegment ?? 0) > 0 && (info.codeSegment ?? 0) > 0 && (info.stackSegment ?? 0) > 0,
    );
  }
  for (const field of info.unknown) assert.equal(info[field], undefined, field);
});

test("ProcessMemoryInfo rss grows after allocating 200 MB of typed arrays", () => {
  // 200 MB and a 40 MB bar: an allocator may first reuse pages that earlier tests freed but that
  // are still resident (Bun's does, after the suite's bigger tests).
  collectGarbage();
  const before = new ProcessMemoryInfo();
  const blocks = Array.from({ length: 200 }, () => new Uint8Array(1024 * 1024).fill(7));
  const after = new ProcessMemoryInfo();
  const [[label, delta]] = after.minus(before) as [[string, number]];
  assert.equal(label, "Resident set size (delta)");
  assert.ok(delta > 40 * 1024 * 1024, `rss grew by ${delta}`);
  assert.equal(blocks.length, 200);
});

test("ProcessMemoryInfo pagefaults never decrease", () => {
  const first = new ProcessMemoryInfo().pagefaults ?? 0;
  const second = new ProcessMemoryInfo().pagefaults ?? 0;
  assert.ok(second >= first);
});

test("ProcessMemoryInfo serialises unknown figures as null, not 0", () => {
  const json = JSON.parse(JSON.stringify(new ProcessMemoryInfo()));
  for (const field of json.unknown) assert.equal(json[field], null);
  assert.equal(typeof json.rss, "number");
});

test("isAvailable() tells whether /proc could be read", () => {
  assert.equal(isAvailable(), new ProcessMemoryInfo().available);
});

test("parseStatus() reads Vm lines in bytes and skips malformed ones", () => {
  const values = parseStatus(
    "Name:\tnode\nVmData:\t       2 kB\nVmRSS: oops kB\nbroken line\nVmSize:\t  7964 kB\n",
  );
  assert.equal(values.get("VmData"), 2048);
  assert.equal(values.get("VmSize"), 7964 * 1024);
  assert.equal(values.has("VmRSS"), false);
  assert.equal(values.has("Name"), false);
});

test("ProcessMemoryInfo.toString() names vsz and rss", () => {
  assert.match(String(new ProcessMemoryInfo()), /^<ProcessMemoryInfo vsz=\S+ rss=\d+>$/);
});
