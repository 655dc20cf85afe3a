/**
 * What a class's source says about its instances' layout. V8 sizes a constructor's instances
 * from the fields its source declares (`this.x =` in the constructor, class fields, the base
 * classes' too), with slack it reclaims once a few instances exist: the fields an instance gets
 * later go to a separate property array. The source is read with the intrinsic
 * `Function.prototype.toString`, which runs no user code.
 *
 * @module
 */
import { apply, brand, getOwnPropertyDescriptor, getPrototypeOf, SafeMap } from "../reflect/mod.ts";

/** The fields a constructor's source gives its instances. */
export interface ClassFields {
  /** Slots the source declares: `this.x =` assignments, class fields (private ones too), the bases' included. */
  declared: number;
  /** Private (`#x`) fields among them, which reflection cannot list. */
  privates: number;
}

const functionToString = Function.prototype.toString;

/** Reads constructor sources once per prototype. */
export class ClassSources {
  #cache = new SafeMap<object, ClassFields | undefined>();

  /**
   * The fields of the class whose instances have `prototype`, or undefined when its source is
   * not readable (a built-in, a bound function, a Proxy).
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ClassSources } from "./_classes.ts";
   * class Point { #id = 0; x; y; constructor() { this.x = 1; this.y = 2; } }
   * assert.deepEqual(new ClassSources().fieldsOf(Point.prototype), { declared: 3, privates: 1 });
   * ```
   */
  fieldsOf(prototype: object): ClassFields | undefined {
    if (this.#cache.has(prototype)) return this.#cache.get(prototype);
    this.#cache.set(prototype, undefined); // a cycle of prototypes ends here
    const fields = this.#read(prototype);
    this.#cache.set(prototype, fields);
    return fields;
  }

  #read(prototype: object): ClassFields | undefined {
    if (brand.isProxy(prototype)) return undefined;
    const descriptor = getOwnPropertyDescriptor(prototype, "constructor");
    const constructor = descriptor && "value" in descriptor ? descriptor.value : undefined;
    if (typeof constructor !== "function" || brand.isProxy(constructor)) return undefined;
    let source: string;
    try {
      source = apply(functionToString, constructor, []) as string;
    } catch {
      return undefined;
    }
    if (source.endsWith("[native code] }") || source.endsWith("{ [native code] }")) {
      return undefined;
    }
    const own = source.startsWith("class") ? classFields(source) : functionFields(source);
    if (own === undefined) return undefined;
    if (!own.derived) return { declared: own.declared, privates: own.privates };
    // A derived class's instances are laid out for the whole chain of class constructors.
    const parent = getPrototypeOf(prototype);
    const base = parent === null ? undefined : this.fieldsOf(parent);
    if (base === undefined) return undefined;
    return { declared: own.declared + base.declared, privates: own.privates + base.privates };
  }
}

interface OwnFields extends ClassFields {
  derived: boolean;
}

const THIS_ASSIGNMENT = /\bthis\s*\.\s*([A-Za-z_$][\w$]*)\s*=(?![=>])/g;

function thisAssignments(body: string): Set<string> {
  const names = new Set<string>();
  for (const match of body.matchAll(THIS_ASSIGNMENT)) names.add(match[1]!);
  return names;
}

/** An ES5 constructor function: its `this.x =` assignments. */
function functionFields(source: string): OwnFields {
  return { declared: thisAssignments(source).size, privates: 0, derived: false };
}

/** A class: its instance fields and its constructor's `this.x =` assignments. */
function classFields(source: string): OwnFields | undefined {
  const open = source.indexOf("{");
  if (open < 0) return undefined;
  const derived = /\bextends\b/.test(source.slice(0, open));
  const members = topLevelMembers(source, open);
  if (members === undefined) return undefined;
  const names = new Set<string>();
  let privates = 0;
  let constructorBody = "";
  for (const member of members) {
    // A field's head is its name, alone or before `=` (an arrow function's block is its body).
    const field = /^(#?[A-Za-z_$][\w$]*)\s*(?:=|$)/.exec(member.head);
    if (field !== null && field[1] !== "static") {
      if (field[1]!.startsWith("#")) privates++;
      else names.add(field[1]!);
    } else if (/^constructor\s*\(/.test(member.head)) constructorBody = member.body ?? "";
  }
  for (const name of thisAssignments(constructorBody)) names.add(name);
  return { declared: names.size + privates, privates, derived };
}

/** One member of a class body: the text before its block, and the block if it has one. */
interface Member {
  head: string;
  body: string | undefined;
}

/**
 * Splits a class body into members: a field ends at `;` or a line end, a method at its block's
 * closing brace. Strings, template literals and comments are skipped whole.
 */
function topLevelMembers(source: string, open: number): Member[] | undefined {
  const members: Member[] = [];
  let head = "";
  let depth = 0;
  let bodyStart = -1;
  for (let i = open + 1; i < source.length; i++) {
    const char = source[i]!;
    const skipped = skipLiteral(source, i);
    if (skipped > i) {
      if (depth === 0) head += source.slice(i, skipped);
      i = skipped - 1;
      continue;
    }
    if (char === "{" || char === "(" || char === "[") {
      if (depth === 0 && char === "{") bodyStart = i;
      else if (depth === 0) head += char;
      depth++;
      continue;
    }
    if (char === "}" || char === ")" || char === "]") {
      depth--;
      if (depth < 0) {
        if (head.trim() !== "") members.push({ head: head.trim(), body: undefined });
        return members;
      }
      if (depth === 0 && char === "}" && bodyStart >= 0) {
        members.push({ head: head.trim(), body: source.slice(bodyStart + 1, i) });
        head = "";
        bodyStart = -1;
      } else if (depth === 0) head += char;
      continue;
    }
    if (depth > 0) continue;
    if (char === ";" || char === "\n") {
      if (head.trim() !== "" && !/[=,(]\s*$/.test(head)) {
        members.push({ head: head.trim(), body: undefined });
        head = "";
      }
      continue;
    }
    head += char;
  }
  return undefined;
}

/** The index after a string, template literal, comment or regular expression at `i`, or `i`. */
function skipLiteral(source: string, i: number): number {
  const char = source[i]!;
  if (char === '"' || char === "'" || char === "`") {
    for (let j = i + 1; j < source.length; j++) {
      if (source[j] === "\\") j++;
      else if (source[j] === char) return j + 1;
    }
    return source.length;
  }
  if (char === "/" && source[i + 1] === "/") {
    const end = source.indexOf("\n", i);
    return end < 0 ? source.length : end;
  }
  if (char === "/" && source[i + 1] === "*") {
    const end = source.indexOf("*/", i + 2);
    return end < 0 ? source.length : end + 2;
  }
  return i;
}
