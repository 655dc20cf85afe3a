import assert from "node:assert/strict";
import { test } from "node:test";
import { ClassSources } from "../../src/sizeof/_classes.ts";
import { asizeof } from "../../src/sizeof/asizeof.ts";

test("a class's source gives the fields its instances are laid out for: constructor assignments, fields, private fields, the bases'", () => {
  const sources = new ClassSources();
  class Base {
    id = 0;
    #secret = "";
    constructor() {
      this.id = 1;
    }
    get secret() {
      return this.#secret;
    }
  }
  class Derived extends Base {
    static registry = new Map();
    label = "}{"; // braces in a string do not end the body
    onClick = () => {
      return { handled: true };
    };
    count: number;
    constructor() {
      super();
      this.count = 0;
      if (this.count == 0) this.count = 1; // a comparison is no assignment
    }
    reset() {
      this.cache = `${"{"}`; // a method's assignments are not the constructor's
    }
    cache?: string;
  }
  assert.deepEqual(sources.fieldsOf(Base.prototype), { declared: 2, privates: 1 });
  // label, onClick, count, cache (declared), plus Base's two
  assert.deepEqual(sources.fieldsOf(Derived.prototype), { declared: 6, privates: 1 });
  function Legacy(this: { a: number; b: number }) {
    this.a = 1;
    this.b = 2;
  }
  assert.deepEqual(sources.fieldsOf(Legacy.prototype), { declared: 2, privates: 0 });
  assert.equal(sources.fieldsOf(Map.prototype), undefined, "a built-in has no source");
  assert.equal(sources.fieldsOf(Object.create(null)), undefined, "no constructor");
});

test("reading a class's source runs none of the program's code: a getter for constructor, a Proxy prototype, a patched toString", () => {
  const sources = new ClassSources();
  const trap = () => {
    throw new Error("user code ran");
  };
  const hostile = Object.defineProperty({}, "constructor", { get: trap });
  assert.equal(sources.fieldsOf(hostile), undefined);
  assert.equal(
    sources.fieldsOf(new Proxy({}, { get: trap, getOwnPropertyDescriptor: trap })),
    undefined,
  );
  class Patched {
    x = 1;
    static toString = trap;
  }
  assert.deepEqual(sources.fieldsOf(Patched.prototype), { declared: 1, privates: 0 });
  assert.ok(asizeof(new Patched()) > 0);
});
