import assert from "node:assert/strict";
import process from "node:process";
import { test } from "node:test";
import { ClassTracker } from "../../src/classtracker/mod.ts";
import { asizeof } from "../../src/sizeof/asizeof.ts";
import { detectRuntime, settleFinalizers } from "../../src/runtime/mod.ts";

const quiet = { write: () => {} };

test("trackObject refuses primitives, files under the class name or a given one, and ignores a second call", () => {
  const tracker = new ClassTracker({ stream: quiet });
  for (const value of [1, "s", true, null, undefined, 10n, Symbol("x")]) {
    assert.throws(() => tracker.trackObject(value as unknown as object), TypeError);
  }
  class Foo {}
  const foo = new Foo();
  tracker.trackObject(foo);
  tracker.trackObject(foo, { name: "Again" });
  tracker.trackObject([1, 2], { name: "Foobar" });
  assert.deepEqual(tracker.objects.map((o) => o.name), ["Foo", "Foobar"]);
  assert.equal(tracker.objects[0]!.deref(), foo);
  assert.deepEqual(tracker.trackedClasses, ["Foo", "Foobar"]);
});

test("trackClass returns the same class that registers its instances; subclasses go to the most specialised", () => {
  const tracker = new ClassTracker({ stream: quiet });
  class Base {
    static kind = "base";
    constructor(readonly label: string) {}
  }
  class Middle extends Base {}
  assert.throws(() => tracker.trackClass({} as never), TypeError);
  assert.throws(() => tracker.trackClass((() => {}) as never), TypeError);
  const TrackedBase = tracker.trackClass(Base);
  const TrackedMiddle = tracker.trackClass(Middle);
  class Leaf extends TrackedMiddle {} // not tracked itself: filed under Middle
  class Sub extends TrackedBase {}
  const TrackedSub = tracker.trackClass(Sub, { name: "Special" });
  const made = [
    new TrackedBase("b"),
    new TrackedMiddle("m"),
    new Leaf("l"),
    new TrackedSub("s"),
    new Base("x"),
  ];
  assert.ok(made[0] instanceof Base && made[0].label === "b" && TrackedBase.kind === "base");
  assert.equal(Object.getPrototypeOf(Object.getPrototypeOf(made[0])), Base.prototype);
  assert.deepEqual(Object.keys(made[0]!), ["label"], "nothing added to instances");
  assert.equal(TrackedBase.name, "Base");
  assert.deepEqual(tracker.objects.map((o) => [o.name, o.className]), [
    ["Base", "Base"],
    ["Middle", "Middle"],
    ["Middle", "Middle"],
    ["Special", "Sub"],
  ]);
  assert.equal(
    tracker.trackClass(Base),
    TrackedBase,
    "tracking again returns the same constructor",
  );
});

test("@tracker.decorate() tracks a class where it is declared", () => {
  const tracker = new ClassTracker({ stream: quiet });
  @tracker.decorate({ name: "Job", resolutionLevel: 1 })
  class Job {
    steps = ["a", "b"];
  }
  const jobs = [new Job(), new Job()];
  assert.deepEqual(tracker.objects.map((o) => [o.name, o.resolutionLevel]), [["Job", 1], [
    "Job",
    1,
  ]]);
  assert.equal(jobs.length, 2);
});

test("detachClass stops registering, twice is an error, tracking again renames, close() detaches all", () => {
  const tracker = new ClassTracker({ stream: quiet });
  class Foo {}
  const TrackedFoo = tracker.trackClass(Foo, { name: "Foobar" });
  new TrackedFoo();
  tracker.detachClass(TrackedFoo);
  new TrackedFoo();
  assert.throws(() => tracker.detachClass(Foo), RangeError);
  assert.equal(tracker.objects.length, 1);
  tracker.trackClass(Foo, { name: "Baz" });
  new TrackedFoo();
  assert.deepEqual(tracker.objects.map((o) => o.name), ["Foobar", "Baz"]);
  tracker.close();
  new TrackedFoo();
  assert.equal(tracker.objects.length, 2);
  tracker.detachAll();
  assert.equal(tracker.objects.length, 0);
});

/** Makes `count` instances out of reach of this frame's registers and locals. */
function make<T>(Class: new () => T, count: number): T[] {
  return Array.from({ length: count }, () => new Class());
}

test("history: create 3, release 2, create 1, release 2 gives live counts [1,2,3,2,1,2,1,0]", async () => {
  const tracker = new ClassTracker({ stream: quiet });
  const Foo = tracker.trackClass(class Foo {});
  const held = make(Foo, 3);
  held.splice(0, 2);
  await settleFinalizers();
  held.push(...make(Foo, 1));
  held.length = 0;
  await settleFinalizers();
  assert.deepEqual(tracker.history("Foo").map(([, count]) => count), [1, 2, 3, 2, 1, 2, 1, 0]);
  assert.ok(tracker.objects.every((o) => o.death !== undefined && o.death >= o.birth));
});

test("keep holds an object alive; without it the object is collected", async () => {
  const tracker = new ClassTracker({ stream: quiet });
  (() => {
    tracker.trackObject({ kept: true }, { keep: true });
    tracker.trackObject({ kept: false });
  })();
  await settleFinalizers();
  assert.deepEqual(tracker.objects.map((o) => o.deref() !== undefined), [true, false]);
});

test("Factory/Employee: 1,000 employees appear in the second snapshot with a plausible size each", async () => {
  const tracker = new ClassTracker({ stream: quiet });
  class Employee {
    constructor(readonly name: string, readonly id: number) {}
  }
  const TrackedEmployee = tracker.trackClass(Employee);
  class Factory {
    staff: Employee[] = [];
    hire(count: number): void {
      for (let i = 0; i < count; i++) this.staff.push(new TrackedEmployee(`worker ${i}`, i));
    }
  }
  const factory = new Factory();
  await tracker.createSnapshot("before");
  factory.hire(1000);
  await tracker.createSnapshot("after");
  const stats = tracker.stats;
  const [before, after] = tracker.snapshots.map((s) => stats.annotateSnapshot(s).get("Employee")!);
  assert.deepEqual([before!.active, after!.active], [0, 1000]);
  const each = asizeof(new Employee("worker 500", 500));
  assert.ok(after!.avg >= 0.8 * each && after!.avg <= 1.2 * each, `${after!.avg} vs ${each}`);
  assert.equal(after!.sum, tracker.snapshots[1]!.trackedTotal);
});

test("shared data is charged to the first tracked owner, and a tracked child never to its parent", async () => {
  const tracker = new ClassTracker({ stream: quiet });
  const a: Record<string, unknown> = { label: "a" };
  const b: Record<string, unknown> = {
    label: "b",
    content: Array.from({ length: 100_000 }, (_, i) => i),
  };
  tracker.trackObject(a, { name: "A" });
  tracker.trackObject(b, { name: "B" });
  await tracker.createSnapshot("separate");
  a.notmine = b.content;
  await tracker.createSnapshot("shared");
  const [first, second] = tracker.snapshots;
  const sizeOf = (name: string, at: number) =>
    tracker.objects.find((o) => o.name === name)!.sizeAt(at);
  assert.ok(sizeOf("B", first!.timestamp) > 400_000 && sizeOf("A", first!.timestamp) < 1000);
  assert.ok(sizeOf("A", second!.timestamp) > 400_000 && sizeOf("B", second!.timestamp) < 1000);

  const parentTracker = new ClassTracker({ stream: quiet });
  const child = { payload: "x".repeat(100_000) };
  const parent = { child };
  parentTracker.trackObject(parent, { name: "Parent" });
  parentTracker.trackObject(child, { name: "Child" });
  const { timestamp } = await parentTracker.createSnapshot();
  const [parentSize, childSize] = parentTracker.objects.map((o) => o.sizeAt(timestamp));
  assert.ok(parentSize! < 1000 && childSize! > 100_000, `${parentSize} ${childSize}`);
});

test("resolution level 1 sizes direct referents; trackChange to 2 adds their referents", async () => {
  const tracker = new ClassTracker({ stream: quiet });
  const object = { foo: { bar: "x".repeat(200) } };
  tracker.trackObject(object, { resolutionLevel: 1 });
  const one = await tracker.createSnapshot();
  const level1 = tracker.objects[0]!.sampleAt(one.timestamp)!.sized;
  const foo = level1.refs.find((ref) => ref.name.includes("foo"))!;
  assert.ok(foo.size > 200 && foo.flat > 0 && foo.refs.length === 0);
  tracker.trackChange(object, 2);
  assert.throws(() => tracker.trackChange({}, 1), RangeError);
  const two = await tracker.createSnapshot();
  const level2 = tracker.objects[0]!.sampleAt(two.timestamp)!.sized;
  assert.ok(
    level2.refs.find((ref) => ref.name.includes("foo"))!.refs.some((ref) =>
      ref.name.includes("bar")
    ),
  );
});

test("snapshots: timestamps, descriptions, labels, totals, process memory and overhead", async () => {
  const tracker = new ClassTracker({ stream: quiet });
  const kept = { data: "x".repeat(1000) };
  tracker.trackObject(kept);
  const plain = await tracker.createSnapshot();
  const alpha = await tracker.createSnapshot("alpha", { computeTotal: true });
  const number = await tracker.createSnapshot(42);
  assert.deepEqual(tracker.snapshots.map((s) => s.desc), ["", "alpha", "42"]);
  assert.match(plain.label, /^\d+\.\d{3}s$/);
  assert.match(alpha.label, /^alpha \(\d+\.\d{3}s\)$/);
  assert.ok(plain.trackedTotal > 1000 && plain.overhead > 0);
  assert.equal(plain.asizeofTotal, 0);
  assert.ok(alpha.asizeofTotal >= alpha.trackedTotal);
  if (process.platform === "linux") {
    assert.ok(plain.system.vsz! >= plain.system.rss! && plain.system.rss! > 0);
    assert.equal(plain.total, plain.system.rss);
  }
  const samples = tracker.objects[0]!.samples.map((s) => s.timestamp);
  assert.deepEqual(samples, tracker.snapshots.map((s) => s.timestamp));
  assert.ok(number.timestamp > alpha.timestamp);
});

test("sizing never runs user code, and an object that cannot be sized is an error on it, not a failed snapshot", async () => {
  const tracker = new ClassTracker({ stream: quiet });
  let calls = 0;
  const withGetter = {
    get expensive() {
      calls++;
      return "x".repeat(1e6);
    },
  };
  const proxy = new Proxy({}, {
    ownKeys() {
      calls++;
      throw new Error("trap ran");
    },
    get() {
      calls++;
      throw new Error("trap ran");
    },
  });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  for (const object of [withGetter, proxy, revoked]) {
    tracker.trackObject(object, { resolutionLevel: 2 });
  }
  const snapshot = await tracker.createSnapshot();
  assert.equal(calls, 0);
  assert.ok(
    tracker.objects.every((o) =>
      o.error !== undefined || o.sampleAt(snapshot.timestamp) !== undefined
    ),
  );
  assert.ok(tracker.objects[0]!.sizeAt(snapshot.timestamp) < 1000);
});

test("trace records the construction stack, outermost first, without heapler's frames", () => {
  const tracker = new ClassTracker({ stream: quiet });
  const Foo = tracker.trackClass(class Foo {}, { trace: true });
  const foo = new Foo(); // the construction line
  const trace = tracker.objects[0]!.trace;
  const last = trace.at(-1)!;
  assert.match(last.file, /tracker_test\.ts$/);
  assert.ok(trace.every((frame) => !frame.file.includes("src/classtracker")));
  assert.ok(foo instanceof Foo);
});

test("periodic snapshots accrue on an unref'd timer, run one at a time, change interval, and stop after the one running", async () => {
  const tracker = new ClassTracker({ stream: quiet });
  tracker.trackObject({ data: [1, 2, 3] }, { keep: true });
  tracker.startPeriodicSnapshots({ interval: 0.02 });
  assert.throws(() => tracker.startPeriodicSnapshots({ interval: 0 }), RangeError);
  const manual = await Promise.all(
    Array.from({ length: 10 }, (_, i) => tracker.createSnapshot(`manual ${i}`)),
  );
  assert.equal(manual.length, 10);
  await new Promise((resolve) => setTimeout(resolve, 300));
  tracker.startPeriodicSnapshots({ interval: 0.04 });
  assert.ok(tracker.periodic);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await tracker.stopPeriodicSnapshots();
  assert.ok(!tracker.periodic);
  const count = tracker.snapshots.length;
  assert.ok(count > 14, `${count} snapshots`);
  const times = tracker.snapshots.map((s) => s.timestamp);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), "never interleaved");
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(tracker.snapshots.length, count, "stopped");
});

test("discovery finds instances of a class it cannot intercept in heap snapshots", async () => {
  const tracker = new ClassTracker({ stream: quiet });
  class Library {
    entries = ["a", "b"];
  }
  const held = [new Library(), new Library()];
  tracker.trackClass(Library, { discover: true });
  const first = await tracker.createSnapshot("first");
  const found = tracker.objects.filter((o) => o.discovered && o.name === "Library");
  assert.equal(found.length, 2);
  assert.ok(found.every((o) => o.sizeAt(first.timestamp) > 0));
  held.pop();
  const second = await tracker.createSnapshot("second");
  const stats = tracker.stats;
  assert.deepEqual(tracker.snapshots.map((s) => stats.annotateSnapshot(s).get("Library")!.active), [
    2,
    1,
  ]);
  if (detectRuntime().runtime === "bun") {
    assert.equal(second.discoveryFollowed, false);
  } else {
    assert.equal(second.discoveryFollowed, true);
    assert.equal(
      tracker.objects.filter((o) => o.name === "Library").length,
      2,
      "followed by snapshot id",
    );
    assert.equal(tracker.objects.filter((o) => o.death === second.timestamp).length, 1);
  }
  assert.equal(held.length, 1);
});
