import assert from "node:assert/strict";
import { test } from "node:test";
import { types } from "node:util";
import vm from "node:vm";
import { detectRuntime } from "../../src/runtime/mod.ts";
import {
  asized,
  asizedAll,
  asizeof,
  asizeofAll,
  asizesof,
  basicsize,
  flatsize,
  itemsize,
  leng,
  refs,
} from "../../src/sizeof/asizeof.ts";
import { Asizer } from "../../src/sizeof/mod.ts";

class Foo {
  data: unknown;
  constructor(data: unknown) {
    this.data = data;
  }
}

test("nothing to size gives 0 and empty lists", () => {
  assert.equal(asizeofAll([]), 0);
  assert.deepEqual(asizesof([]), []);
  assert.deepEqual(asizedAll([]), []);
});

test("a value given twice counts once; asizesof gives the duplicate 0", () => {
  const x = { list: [1, 2, 3] };
  assert.equal(asizeofAll([x, x]), asizeof(x));
  assert.deepEqual(asizesof([x, x]), [asizeof(x), 0]);
});

test("a shared child is charged to the first value that reaches it", () => {
  const t = { text: "t".repeat(500) };
  const [first, second] = asizesof([[t], [t]]);
  assert.ok(first! > second! + 500);
  assert.equal(first! + second!, asizeofAll([[t], [t]]));
});

test("cycles terminate and split between the values", () => {
  const a: Record<string, unknown> = { name: "a" };
  const b: Record<string, unknown> = { name: "b", a };
  a.b = b;
  const [sa, sb] = asizesof([a, b]);
  assert.ok(sa! > 0);
  assert.equal(sb, 0); // all of b was reached from a first
  assert.equal(asizeof(a), asizeofAll([a, b]));
  assert.equal(asizeof(a), sa! + sb!);
});

test("values sharing nothing: the total is the sum, and the order reverses", () => {
  const values = [{ a: 1 }, ["x".repeat(40)], new Map([[1, 2]])];
  assert.equal(asizeofAll(values), asizesof(values).reduce((sum, size) => sum + size, 0));
  assert.deepEqual(asizesof([...values].reverse()), asizesof(values).reverse());
});

test("limit 0 is the flat size; deeper limits grow, then plateau", () => {
  const nested = { level1: { level2: { level3: { leaf: "z".repeat(30) } } } };
  assert.equal(asizeof(nested, { limit: 0 }), flatsize(nested, 8));
  const sizes = [0, 1, 2, 3, 4, 5].map((limit) => asizeof(nested, { limit }));
  for (let i = 1; i < 5; i++) assert.ok(sizes[i]! > sizes[i - 1]!, `limit ${i}`);
  assert.equal(sizes[5], sizes[4]);
});

test("alignment rounds every flat size; a bad align or option throws", () => {
  const value = ["a".repeat(3), "b".repeat(5), { c: 1 }];
  const sizer = new Asizer({ align: 8, detail: 1 });
  for (const ref of sizer.asized(value)[0]!.refs) assert.equal(ref.flat % 8, 0);
  assert.ok(asizeof(value, { align: 1 }) <= asizeof(value, { align: 8 }));
  assert.throws(() => asizeof(value, { align: 3 }), RangeError);
  // deno-lint-ignore no-explicit-any -- an unknown option on purpose
  assert.throws(() => asizeof(value, { colour: true } as any), TypeError);
});

test("detail 0 has no refs; detail 1 one per referent, named; size unchanged", () => {
  const value = { list: [1, 2], text: "hello world", map: new Map([["k", { v: 1 }]]) };
  assert.deepEqual(asized(value).refs, []);
  const tree = asized(value, { detail: 1 });
  assert.deepEqual(tree.refs.map((ref) => ref.name), ["list", "text", "map"]);
  assert.equal(tree.size, asizeof(value));
  assert.equal(asized(value, { detail: 2 }).size, tree.size);
  assert.deepEqual(asized(value.map, { detail: 1 }).refs.map((ref) => ref.name), [
    "[K] k",
    "[V] k",
  ]);
});

test("a referent's size in the tree is its own asizeof", () => {
  const tree = asized(new Foo(4.5), { detail: 2 });
  assert.equal(tree.name, "Foo");
  assert.equal(tree.get("data")!.size, asizeof(4.5));
});

test("format() indents children four spaces, orders them, and stops at depth", () => {
  const tree = asized({ b: [1, 2, 3], a: "x".repeat(1000) }, { detail: 1 });
  assert.deepEqual(
    tree.format({ orderBy: "name" }).split("\n").map((line) => line.replace(/ size=.*/, "")),
    [
      "Object",
      "    a",
      "    b",
    ],
  );
  assert.match(tree.format().split("\n")[1]!, /^ {4}a size=/); // size descending: the string first
  assert.equal(tree.format({ depth: 0 }).split("\n").length, 1);
  assert.match(String(tree), /^size \d+, flat \d+, refs\[2\], name 'Object'$/);
});

test("functions size 0 as data unless code is on", () => {
  const holder = { run: (n: number) => n * 2, label: "y" };
  assert.equal(asizeof(holder), asizeof({ run: undefined, label: "y" }));
  assert.ok(asizeof(holder, { code: true }) > asizeof(holder));
  assert.ok(asizeof(() => 1) > 0, "a function given directly is sized");
});

test("excludeTypes() sizes instances 0, given or reached", () => {
  const sizer = new Asizer();
  sizer.excludeTypes(Foo);
  assert.equal(sizer.asizeof(new Foo("ignored")), 0);
  assert.equal(sizer.asizeof([new Foo("x".repeat(1000))]), asizeof([{}].map(() => undefined)));
});

test("excludeRefs() stops following a value but still sizes it given", () => {
  const big = { text: "q".repeat(2000) };
  const sizer = new Asizer();
  sizer.excludeRefs(big);
  assert.ok(sizer.asizeof({ big }) < 1000);
  assert.ok(new Asizer().asizeof(big) > 2000);
  const again = new Asizer();
  again.excludeRefs(big);
  assert.ok(again.asizeof(big) > 2000);
});

test("a stateful sizer counts each object once across calls", () => {
  const obj = { words: ["alpha", "beta", "gamma"].map((w) => w.repeat(3)) };
  const sizer = new Asizer();
  const first = sizer.asizeof(obj);
  assert.equal(first, asizeof(obj));
  assert.equal(sizer.asizeof(obj), 0);
  assert.equal(sizer.total, first);
  const mutable = [obj];
  const before = sizer.duplicate;
  sizer.asizeof(mutable, mutable);
  assert.equal(sizer.duplicate - before, 2);
  assert.equal(sizer.total, asizeofAll([obj, mutable]));
});

test("sizing a generator or an iterator does not advance it", () => {
  function* numbers() {
    yield 1;
    yield 2;
  }
  const generator = numbers();
  const iterator = new Map([[1, "a"]]).entries();
  asizeof(generator, { code: true });
  asizeof(iterator);
  assert.equal(generator.next().value, 1);
  assert.deepEqual(iterator.next().value, [1, "a"]);
});

test("stats prints Pympler's summary, largest objects and profiles", () => {
  let text = "";
  const stream = { write: (chunk: string) => void (text += chunk) };
  asizeof({ a: Array.from({ length: 300 }, (_, i) => i), s: "x".repeat(5000) }, {
    stats: 2,
    stream,
  });
  assert.match(text, /^\nasizeof\(Object, above=1024, align=8, .*\) \.\.\.\n/);
  assert.match(text, /\n +\d+ bytes or [\d.]+ KiB\n/);
  assert.match(text, /\n +8 byte aligned\n/);
  assert.match(text, /\n +1 object given\n/);
  assert.match(text, / objects sized\n/);
  assert.match(text, / duplicates?\n/);
  assert.match(text, /largest objects \(of 1 over 1024 bytes or 1\.0 KiB\)/);
  assert.match(text, /profiles: {2}total \(% of grand total\), average, and largest flat size/);
  assert.match(text, /class Array objects|string objects/);
});

test("flatsize, basicsize, itemsize, leng and refs describe one value", () => {
  assert.ok(flatsize("x".repeat(100)) >= 100);
  assert.equal(flatsize(3), 0);
  assert.equal(basicsize([1, 2, 3]), basicsize([]));
  assert.ok(itemsize([]) > 0);
  assert.equal(itemsize(new Date()), 0);
  assert.equal(leng([1, 2, 3]), 3);
  assert.equal(leng(new Set([1, 2])), 2);
  assert.equal(leng(2n ** 64n - 1n), 1);
  assert.equal(leng(7), undefined);
  const child = { c: 1 };
  assert.deepEqual(refs({ child, n: 1 }), [child, 1]);
});

test("hostile values: getters, proxies, cycles, deep chains, sparse and odd objects never throw or run code", () => {
  const trap = () => {
    throw new Error("user code ran");
  };
  const getter = Object.defineProperty({}, "boom", { get: trap, enumerable: true });
  const proxy = new Proxy({}, {
    get: trap,
    ownKeys: trap,
    getOwnPropertyDescriptor: trap,
    getPrototypeOf: trap,
    has: trap,
  });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  let chain: Record<string, unknown> = {};
  for (let i = 0; i < 1_000_000; i++) chain = { next: chain };
  const sparse: number[] = [];
  sparse[1e9] = 1;
  const detached = new ArrayBuffer(64);
  structuredClone(detached, { transfer: [detached] });
  const tag = {
    [Symbol.toStringTag]: "Sneaky",
    get [Symbol.iterator]() {
      return trap();
    },
  };
  for (
    const value of [
      getter,
      proxy,
      revoked,
      chain,
      sparse,
      Object.freeze({ frozen: [1, 2] }),
      Object.create(null),
      detached,
      tag,
      new (class SneakyMap extends Map<number, number> {
        override get size() {
          return trap();
        }
      })([[1, 2]]),
    ]
  ) {
    assert.ok(asizeof(value, { code: true }) >= 0);
  }
  assert.ok(asizeof(chain, { limit: Infinity }) > 1_000_000 * 24); // iterative: no stack overflow
  assert.ok(asizeof(sparse) < 1000, "a sparse array is not sized by its length");
});

test("objects from another realm (node:vm) are sized by brand checks", () => {
  const foreign = vm.runInNewContext(
    "({ list: [1, 2, 3], map: new Map([[1, { a: 1 }]]), when: new Date(0) })",
  );
  assert.ok(asizeof(foreign) > asizeof({}) + asizeof([1, 2, 3]));
  assert.deepEqual(asized(foreign, { detail: 1 }).refs.map((ref) => ref.name), [
    "list",
    "map",
    "when",
  ]);
});

test("views on one buffer count it once", () => {
  const buffer = new ArrayBuffer(4096);
  const views = [new Uint8Array(buffer), new Float64Array(buffer), new DataView(buffer)];
  const one = asizeof(views[0]);
  assert.ok(one > 4096);
  assert.ok(asizeof(views) < 2 * one);
});

test("asizeof runs no user code through the prototype chain: toStringTag getters, Proxies, revoked Proxies, stack formatting", () => {
  const ran: string[] = [];
  class Tagged {
    get [Symbol.toStringTag]() {
      ran.push("toStringTag getter");
      return "Tagged";
    }
  }
  const spy = new Proxy({}, {
    get(target, key, receiver) {
      ran.push(`get trap ${String(key)}`);
      return Reflect.get(target, key, receiver);
    },
    getPrototypeOf() {
      ran.push("getPrototypeOf trap");
      return null;
    },
  });
  const onSpy = Object.create(spy);
  onSpy.x = 1;
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  const onRevoked = Object.create(revoked);
  revoke();
  const error = new Error("boom");
  const captured: { stack?: string } = {};
  Error.captureStackTrace(captured);
  const prepare = (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = () => {
    ran.push("Error.prepareStackTrace");
    return "stack";
  };
  try {
    for (const value of [new Tagged(), onSpy, onRevoked, [new Tagged(), onSpy, onRevoked]]) {
      assert.ok(asizeof(value) > 0);
      asized(value, { detail: 3 }).format();
      asizesof([value], { stats: 1, stream: { write() {} } });
    }
    assert.deepEqual(ran, []);
    asizeof([error, captured]);
    // JavaScriptCore formats an error's stack when its own keys are listed, which no reflection
    // can avoid; V8 formats it only when the stack is read, which sizing does not do.
    if (detectRuntime().runtime !== "bun") assert.deepEqual(ran, []);
  } finally {
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = prepare;
  }
});

test("asizeof uses the built-ins as they were when heapler loaded, not as the program patched them", () => {
  const value = {
    list: [1, "two", { three: 3 }],
    map: new Map<unknown, unknown>([["k", { v: [1] }]]),
    set: new Set([{ s: 1 }]),
    bytes: new Uint8Array(16),
  };
  const before = asizeof(value);
  const called: string[] = [];
  const patches: [object, string][] = [
    [Reflect, "ownKeys"],
    [Reflect, "getOwnPropertyDescriptor"],
    [Reflect, "getPrototypeOf"],
    [Reflect, "apply"],
    [Object, "keys"],
    [Object, "entries"],
    [Object, "getOwnPropertyDescriptor"],
    [Array, "isArray"],
    [Array.prototype, "push"],
    [Set.prototype, "has"],
    [Set.prototype, "add"],
    [Map.prototype, "get"],
    [Map.prototype, "set"],
    [Map.prototype, "entries"],
    [Set.prototype, "values"],
    [types, "isProxy"],
    [types, "isMap"],
  ];
  const originals = patches.map(([owner, key]) => (owner as Record<string, unknown>)[key]);
  const applyOriginal = Reflect.apply;
  patches.forEach(([owner, key], i) => {
    const original = originals[i] as (...args: unknown[]) => unknown;
    (owner as Record<string, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
      called[called.length] = key;
      return applyOriginal(original, this, args);
    };
  });
  let after: number;
  try {
    after = asizeof(value);
    asized(value, { detail: 2 });
  } finally {
    patches.forEach(([owner, key], i) => {
      (owner as Record<string, unknown>)[key] = originals[i];
    });
  }
  assert.deepEqual(called, []);
  assert.equal(after, before);
});

test("a walk cut by limit says so: Asized.truncated, the printed tree and the stats", () => {
  let list: { next: unknown } | null = null;
  for (let i = 0; i < 1_000; i++) list = { next: list };
  const cut = asized(list, { limit: 100 });
  assert.ok(cut.truncated >= 1, `truncated ${cut.truncated}`);
  assert.match(cut.format(), /limit reached: \d+ objects? not followed, raise limit/);
  const whole = asized(list, { limit: Infinity });
  assert.equal(whole.truncated, 0);
  assert.doesNotMatch(whole.format(), /limit reached/);
  assert.ok(whole.size > 5 * cut.size, `${whole.size} vs ${cut.size}`);
  const asizer = new Asizer({ limit: 10 });
  asizer.asizeof(list);
  assert.ok(asizer.truncated >= 1);
  let printed = "";
  asizeof(list, {
    limit: 10,
    stats: 1,
    stream: { write: (text: string) => void (printed += text) },
  });
  assert.match(printed, /objects not followed past limit=10: raise limit/);
  assert.equal(asized({ a: [1, 2] }).truncated, 0);
});
