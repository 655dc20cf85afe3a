/**
 * `Asizer`: Pympler's stateful sizer for live JavaScript values, and its reports.
 *
 * @module
 */
import { detectRuntime, type TextStream } from "../runtime/mod.ts";
import { stdout } from "../runtime/internal.ts";
import {
  brand,
  getOwnPropertyDescriptor,
  getPrototypeOf,
  isArray,
  isObjectLike,
  objectEntries,
  objectKeys,
  ownKeys,
  type ReferentKind,
  referentName,
  type ReferentSink,
  SafeMap,
  SafeSet,
  type Via,
  visitReferents,
} from "../reflect/mod.ts";
import { type Layout, layoutFor, type Shape } from "./_layout.ts";
import { Asized } from "./asized.ts";
import {
  describe,
  DOUBLE_FIELD,
  isSmi,
  type NumberSlot,
  type ObjectFacts,
  objectShape,
  primitiveShape,
  TAGGED,
  typeKey,
  UNBOXED,
} from "./_shapes.ts";
import { ClassSources } from "./_classes.ts";

/** Options of the sizing functions and of {@linkcode Asizer}, as Pympler's. */
export interface AsizeofOptions {
  /** Rank (for `stats`) only objects whose total size is above this. @default 1024 */
  above?: number;
  /** Round every flat size up to this power of two; below 2, no rounding. @default 8 */
  align?: number;
  /** Clip descriptions in the statistics to this many characters. @default 80 */
  clip?: number;
  /** Size functions and classes (their code and own properties) and follow accessors. @default false */
  code?: boolean;
  /** How many of the largest objects the statistics list. @default 10 */
  cutoff?: number;
  /** How many levels of referents an `Asized` tree shows. @default 0 */
  detail?: number;
  /** Leave built-ins out: `globalThis` and the intrinsic constructors, prototypes and functions. @default true */
  ignored?: boolean;
  /** How deep to follow referents; 0 gives the flat size. @default 100 */
  limit?: number;
  /** Follow prototypes (Pympler follows `__class__`; JavaScript shares prototypes). @default false */
  prototypes?: boolean;
  /** Print statistics after sizing: 1 the summary and largest objects, 2 also per-type profiles, 3 also the kinds table. @default 0 */
  stats?: number;
  /** Where statistics go. @default standard output */
  stream?: TextStream;
}

const DEFAULTS: Required<Omit<AsizeofOptions, "stream">> = {
  above: 1024,
  align: 8,
  clip: 80,
  code: false,
  cutoff: 10,
  detail: 0,
  ignored: true,
  limit: 100,
  prototypes: false,
  stats: 0,
};

const OPTION_NAMES = new SafeSet([...objectKeys(DEFAULTS), "stream"]);

/** The built-ins `ignored` leaves out: the global object, intrinsic constructors, prototypes and their functions. */
const INTRINSICS: ReadonlySet<unknown> = (() => {
  const found = new SafeSet<unknown>([globalThis]);
  for (const name of ownKeys(globalThis)) {
    const descriptor = getOwnPropertyDescriptor(globalThis, name);
    const value = descriptor && "value" in descriptor ? descriptor.value : undefined;
    if (typeof value !== "function" && (typeof value !== "object" || value === null)) continue;
    if (typeof name === "string" && /^[a-z]/.test(name) && typeof value === "object") continue;
    found.add(value);
    for (const owner of [value, (value as { prototype?: unknown }).prototype]) {
      if ((typeof owner !== "object" && typeof owner !== "function") || owner === null) continue;
      found.add(owner);
      for (const key of ownKeys(owner)) {
        const inner = getOwnPropertyDescriptor(owner, key);
        if (inner && "value" in inner && typeof inner.value === "function") found.add(inner.value);
      }
    }
  }
  for (
    const prototype of [
      getPrototypeOf(function* () {}),
      getPrototypeOf(async function () {}),
      getPrototypeOf(Uint8Array),
      getPrototypeOf(Uint8Array.prototype),
    ]
  ) {
    if (prototype) found.add(prototype);
  }
  return found;
})();

interface Profile {
  count: number;
  total: number;
  largest: number;
  largestName: string;
}

/** What the sizer learned of one class's layout (by prototype), and what it charged for it. */
interface ClassLayout {
  /** The slots its source declares; undefined for plain objects and unreadable sources. */
  declared: number | undefined;
  /** `#private` fields among them. */
  privates: number;
  /** The in-object slots its instances share, as far as seen. */
  inObject: number;
  /** Instances counted in the current walk, by slots: how many, the bytes charged, a shape. */
  charged: SafeMap<number, { count: number; bytes: number; shape: Shape }>;
  /** Fields seen holding numbers that are not small integers (double representation). */
  fields: SafeSet<unknown>;
}

interface Ranked {
  size: number;
  name: string;
  index: number;
  depth: number;
  parent: number;
}

/**
 * A stateful sizer (Pympler's `Asizer`): objects it has sized count 0 on later calls until
 * `reset()`. Never runs user code: no getter, no Proxy trap, no `toString`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Asizer } from "heapler/sizeof";
 * const sizer = new Asizer();
 * const shared = { data: "x".repeat(100) };
 * const first = sizer.asizeof(shared);
 * assert(first > 100 && sizer.asizeof(shared) === 0 && sizer.total === first);
 * ```
 */
export class Asizer {
  #options: Required<Omit<AsizeofOptions, "stream">> = { ...DEFAULTS };
  #stream: TextStream | undefined;
  #layout: Layout;
  #seen = new SafeSet<object>();
  #seenStrings = new SafeSet<string>();
  #excludedRefs = new SafeSet<object>();
  #excludedObjs = new SafeSet<object>();
  #excludedTypes: object[] = [];
  #total = 0;
  #sized = 0;
  #duplicate = 0;
  #visits = 0;
  #given = 0;
  #deepest = 0;
  #truncated = 0;
  #profiles = new SafeMap<string, Profile>();
  #ranked: Ranked[] = [];
  #rankIndex = 0;
  /** What the last visit found: referents (to visit next), how each is held, and the counts. */
  #found: unknown[] = [];
  #foundSlots: NumberSlot[] = [];
  #foundNames: { kind: ReferentKind; key: unknown; via: Via }[] = [];
  #foundCount = 0;
  #naming = false;
  /** What is known of the visited object, for its shape (one record, reused). */
  #facts: ObjectFacts = { properties: 0, elements: 0, proxy: false, array: false, prototype: null };
  /** Whether the visited object has an element that is not a number. */
  #mixedElements = false;
  #properties = 0;
  #elements = 0;
  /** The double-representation fields of the class of the object being visited. */
  #fields: SafeSet<unknown> | undefined;
  #collect: ReferentSink = (kind, value, key, via) => {
    let slot: NumberSlot = TAGGED;
    if (kind === "element") {
      this.#elements++;
      if (typeof value === "number") slot = UNBOXED;
      else this.#mixedElements = true;
    } else if (kind === "property") {
      this.#properties++;
      if (typeof value === "number" && this.#fields !== undefined) {
        slot = this.#fieldSlot(key, value);
      }
    }
    this.#found[this.#foundCount] = value;
    this.#foundSlots[this.#foundCount] = slot;
    if (this.#naming) this.#foundNames[this.#foundCount] = { kind, key, via };
    this.#foundCount++;
  };
  /** Layout state per class (by prototype): in-object slots, field representations. */
  #classes = new SafeMap<object, ClassLayout>();
  #sources = new ClassSources();
  /** The class looked up last: objects in a structure mostly share one. */
  #lastPrototype: object | undefined;
  #lastClass: ClassLayout | undefined;
  /** Classes with instances counted in the current walk, to settle at its end. */
  #touched: ClassLayout[] = [];

  /**
   * @param options Pympler's options (see {@linkcode AsizeofOptions}).
   * @throws {TypeError} For an unknown option; {@linkcode RangeError} for a bad `align`.
   */
  constructor(options: AsizeofOptions = {}) {
    const runtime = detectRuntime();
    this.#layout = layoutFor(
      runtime.engine,
      runtime.pointerCompression,
      runtime.runtime === "deno",
    );
    this.reset(options);
  }

  /** The layout model in use: `v8`, `v8-compressed` or `jsc`. */
  get layout(): string {
    return this.#layout.name;
  }

  /** Bytes sized so far. */
  get total(): number {
    return this.#total;
  }

  /** Distinct objects sized so far. */
  get sized(): number {
    return this.#sized;
  }

  /** Objects reached more than once (counted once). */
  get duplicate(): number {
    return this.#duplicate;
  }

  /** Objects visited, duplicates included. */
  get seen(): number {
    return this.#visits;
  }

  /**
   * Objects whose references were not followed because the walk reached `limit`: when above 0,
   * the sizes leave out what they hold.
   */
  get truncated(): number {
    return this.#truncated;
  }

  /** The options in force. */
  get options(): Readonly<Required<Omit<AsizeofOptions, "stream">>> {
    return this.#options;
  }

  /** The largest objects sized (over `above`), largest first, at most 100. */
  get ranked(): readonly { size: number; name: string; depth: number }[] {
    return this.#ranked.map(({ size, name, depth }) => ({ size, name, depth }));
  }

  /**
   * Sets every option (the rest to Pympler's defaults) and forgets everything sized.
   *
   * @param options The options.
   * @throws {TypeError} For an unknown option; {@linkcode RangeError} for a bad `align`.
   */
  reset(options: AsizeofOptions = {}): void {
    this.#options = { ...DEFAULTS };
    this.#stream = undefined;
    this.set(options);
    this.#seen = new SafeSet();
    this.#seenStrings = new SafeSet();
    this.#excludedRefs = new SafeSet();
    this.#excludedObjs = new SafeSet();
    this.#excludedTypes = [];
    this.#total =
      this.#sized =
      this.#duplicate =
      this.#visits =
      this.#given =
      this.#deepest =
      this.#truncated =
        0;
    this.#profiles = new SafeMap();
    this.#ranked = [];
    this.#rankIndex = 0;
  }

  /**
   * Changes some options and keeps what was sized.
   *
   * @param options The options to change.
   * @throws {TypeError} For an unknown option; {@linkcode RangeError} for a bad `align`.
   */
  set(options: AsizeofOptions): void {
    for (const key of objectKeys(options)) {
      if (!OPTION_NAMES.has(key)) throw new TypeError(`Invalid option: ${key}`);
    }
    const { stream, ...rest } = options;
    const align = rest.align ?? this.#options.align;
    if (align >= 2 && (align & (align - 1)) !== 0) {
      throw new RangeError(`Invalid option: align ${align} is not a power of two`);
    }
    for (const [key, value] of objectEntries(rest)) {
      if (value !== undefined) (this.#options as Record<string, unknown>)[key] = value;
    }
    if (stream !== undefined) this.#stream = stream;
  }

  /** References to these objects are not followed; given directly, they are still sized. */
  excludeRefs(...objects: object[]): void {
    for (const object of objects) this.#excludedRefs.add(object);
  }

  /** Instances of these classes size 0, given directly or reached. */
  excludeTypes(...classes: (abstract new (...args: never[]) => unknown)[]): void {
    for (const cls of classes) {
      const prototype = getOwnPropertyDescriptor(cls, "prototype")?.value;
      if (typeof prototype === "object" && prototype !== null) this.#excludedTypes.push(prototype);
    }
  }

  /** These objects are never sized, profiled or ranked. */
  excludeObjs(...objects: object[]): void {
    for (const object of objects) this.#excludedObjs.add(object);
  }

  /**
   * The combined size of the values; anything reached twice counts once.
   *
   * @param values The values.
   * @returns Bytes.
   */
  asizeof(...values: unknown[]): number {
    const total = this.asizesof(...values).reduce((sum, size) => sum + size, 0);
    if (this.#options.stats > 0) this.#printSized("asizeof", values, [total]);
    return total;
  }

  /**
   * One size per value; what several reach is charged to the first, and a value already sized
   * (here or earlier) sizes 0.
   *
   * @param values The values.
   * @returns Their sizes, in order.
   */
  asizesof(...values: unknown[]): number[] {
    return values.map((value) => {
      this.#given++;
      return this.#sizeTree(value, 0, 0, "", -1).size;
    });
  }

  /**
   * Sizes the values into {@linkcode Asized} trees down to `detail` levels.
   *
   * @param values The values.
   * @returns One tree per value.
   */
  asized(...values: unknown[]): Asized[] {
    return values.map((value) => {
      this.#given++;
      return this.#sizeTree(
        value,
        0,
        this.#options.detail,
        describe(value, this.#options.clip),
        -1,
      );
    });
  }

  /** Sizes `value` and, down to `detail` levels, each referent on its own. */
  #sizeTree(
    value: unknown,
    depth: number,
    detail: number,
    name: string,
    parent: number,
    slot: NumberSlot = TAGGED,
    reached = false,
  ): Asized {
    const truncatedBefore = this.#truncated;
    if (detail <= 0) {
      const { size, flat } = this.#walk(value, depth, parent, slot, reached);
      return new Asized(size, flat, [], name, this.#truncated - truncatedBefore);
    }
    this.#naming = true;
    const visited = this.#visit(value, depth, slot, reached);
    this.#naming = false;
    if (visited < 0) return new Asized(0, 0, [], name);
    const flat = visited + this.#settle();
    const index = this.#rankIndex - 1;
    const array = isArray(value);
    const found = Array.from({ length: this.#foundCount }, (_, i) => ({
      value: this.#found[i],
      slot: this.#foundSlots[i]!,
      name: referentName(
        this.#foundNames[i]!.kind,
        this.#found[i],
        this.#foundNames[i]!.key,
        this.#foundNames[i]!.via,
        array,
      ),
    }));
    this.#clearFound();
    const refs = found.map((referent) =>
      this.#sizeTree(
        referent.value,
        depth + 1,
        detail - 1,
        referent.name,
        index,
        referent.slot,
        true,
      )
    );
    const size = flat + refs.reduce((sum, ref) => sum + ref.size, 0);
    this.#rank(size, name, depth, parent, index);
    return new Asized(size, flat, refs, name, this.#truncated - truncatedBefore);
  }

  /** Sizes one value and everything it reaches (not yet sized), depth first, iteratively. */
  #walk(
    value: unknown,
    depth: number,
    parent: number,
    slot: NumberSlot,
    reached: boolean,
  ): { size: number; flat: number } {
    const rootFlat = this.#visit(value, depth, slot, reached);
    if (rootFlat < 0) return { size: 0, flat: 0 };
    const index = this.#rankIndex - 1;
    let total = rootFlat;
    // The stack of values to visit, how each is held and at what depth; `top` values are live.
    const values: unknown[] = [];
    const slots: NumberSlot[] = [];
    const depths: number[] = [];
    let top = this.#pushFound(values, slots, depths, 0, depth + 1);
    while (top > 0) {
      top--;
      const nextDepth = depths[top]!;
      const flat = this.#visit(values[top], nextDepth, slots[top]!, true);
      values[top] = undefined;
      if (flat < 0) continue;
      total += flat;
      top = this.#pushFound(values, slots, depths, top, nextDepth + 1);
    }
    total += this.#settle();
    this.#rank(total, describe(value, this.#options.clip), depth, parent, index);
    return { size: total, flat: rootFlat };
  }

  /**
   * Moves the referents the last visit found onto a walk's stack above `top`, the first
   * uppermost.
   *
   * @returns The new top.
   */
  #pushFound(
    values: unknown[],
    slots: NumberSlot[],
    depths: number[],
    top: number,
    depth: number,
  ): number {
    const found = this.#found;
    const foundSlots = this.#foundSlots;
    for (let i = this.#foundCount - 1; i >= 0; i--, top++) {
      values[top] = found[i];
      slots[top] = foundSlots[i]!;
      depths[top] = depth;
      found[i] = undefined;
    }
    this.#foundCount = 0;
    return top;
  }

  #clearFound(): void {
    this.#found.fill(undefined, 0, this.#foundCount);
    this.#foundCount = 0;
  }

  /**
   * Counts one value if it was not counted before: its aligned flat size and, within `limit`,
   * its referents, left in `#found` (`#foundCount` of them) to visit next.
   *
   * @param slot Where the value is held (whether a number there is boxed).
   * @param reached Whether a reference led here (or the value was given).
   * @returns The flat size, or -1 for a value not counted (seen before, or excluded).
   */
  #visit(value: unknown, depth: number, slot: NumberSlot, reached: boolean): number {
    this.#visits++;
    const options = this.#options;
    if (!isObjectLike(value)) {
      if (value === undefined || value === null || typeof value === "boolean") {
        this.#rankIndex++;
        return 0;
      }
      if (typeof value === "string") {
        const strings = this.#seenStrings;
        const before = strings.size;
        if (strings.add(value).size === before) {
          this.#duplicate++;
          return -1;
        }
      }
      this.#rankIndex++;
      return this.#count(primitiveShape(value, slot), value);
    }
    // Reached through a reference, an excluded one is skipped without being marked seen: given
    // directly later, it is still sized.
    if (reached && this.#excludedRefs.size > 0 && this.#excludedRefs.has(value)) return -1;
    const seen = this.#seen;
    const before = seen.size;
    if (seen.add(value).size === before) {
      this.#duplicate++;
      return -1;
    }
    if (this.#excludedObjs.size > 0 && this.#excludedObjs.has(value)) return -1;
    if (reached && options.ignored && INTRINSICS.has(value)) return -1;
    if (this.#excludedTypes.length > 0 && this.#isExcludedType(value)) return -1;
    if (typeof value === "function" && !options.code && reached) return -1;
    const facts = this.#facts;
    facts.proxy = brand.isProxy(value);
    facts.array = !facts.proxy && isArray(value);
    facts.prototype = facts.proxy || facts.array || typeof value === "function"
      ? null
      : getPrototypeOf(value);
    // The class (by prototype) of a plain object or instance: its fields' representations, and
    // the in-object slots its instances share.
    const layout = this.#classOf(facts.prototype);
    this.#properties = this.#elements = 0;
    this.#fields = layout?.fields;
    this.#mixedElements = false;
    visitReferents(value, this.#collect, options.code, options.prototypes);
    this.#fields = undefined;
    // Numbers alone are stored unboxed (as small integers or raw doubles); beside anything else,
    // a number that is not a small integer is a heap object of its own.
    if (this.#mixedElements) {
      const slots = this.#foundSlots;
      for (let i = 0; i < this.#foundCount; i++) if (slots[i] === UNBOXED) slots[i] = TAGGED;
    }
    facts.properties = this.#properties;
    facts.elements = this.#elements;
    const shape = objectShape(value, facts, options.code);
    let flat: number;
    if (layout?.declared !== undefined && shape.kind === "object" && !shape.dictionary) {
      flat = this.#countInstance(layout, shape, value);
    } else flat = this.#count(shape, value);
    if (shape.kind === "object" && shape.dictionary) this.#collectKeys(value);
    if (depth > this.#deepest) this.#deepest = depth;
    this.#rankIndex++;
    if (depth >= options.limit && this.#foundCount > 0) {
      this.#truncated++;
      this.#clearFound();
    }
    return flat;
  }

  /**
   * The layout state of the class whose instances have `prototype` (plain objects' is
   * `Object.prototype`'s), made on first use.
   */
  #classOf(prototype: object | null): ClassLayout | undefined {
    if (prototype === null) return undefined;
    if (prototype === this.#lastPrototype) return this.#lastClass;
    let layout = this.#classes.get(prototype);
    if (layout === undefined) {
      const source = prototype === Object.prototype || this.#layout.name === "jsc"
        ? undefined
        : this.#sources.fieldsOf(prototype);
      layout = {
        declared: source?.declared,
        privates: source?.privates ?? 0,
        inObject: source?.declared ?? 0,
        charged: new SafeMap(),
        fields: new SafeSet(),
      };
      this.#classes.set(prototype, layout);
    }
    this.#lastPrototype = prototype;
    this.#lastClass = layout;
    return layout;
  }

  /**
   * Counts a class instance with the in-object slots its class has settled on so far; when a
   * later instance shows the class holds more, {@linkcode Asizer.#settle} charges the
   * difference for the instances counted before.
   */
  #countInstance(
    layout: ClassLayout,
    shape: Extract<Shape, { kind: "object" }>,
    value: object,
  ): number {
    const slots = shape.properties + layout.privates;
    // V8 gives a class's instances the slots its source declares and 8 more, then keeps as many
    // as the instances built meanwhile used: fields added later go to the property array.
    if (slots > layout.inObject) layout.inObject = Math.min(slots, layout.declared! + 8);
    shape.hidden = layout.privates;
    shape.inObject = layout.inObject;
    const flat = this.#count(shape, value);
    const charged = layout.charged.get(slots);
    if (charged === undefined) layout.charged.set(slots, { count: 1, bytes: flat, shape });
    else {
      charged.count++;
      charged.bytes += flat;
    }
    if (layout.charged.size === 1 && charged === undefined) this.#touched.push(layout);
    return flat;
  }

  /**
   * Charges the instances counted in this walk for the in-object slots their classes settled
   * on by its end.
   *
   * @returns The bytes added.
   */
  #settle(): number {
    let added = 0;
    for (const layout of this.#touched) {
      for (const charged of layout.charged.values()) {
        const shape = { ...charged.shape, inObject: layout.inObject };
        const due = charged.count * this.#aligned(this.#layout.flat(shape));
        added += due - charged.bytes;
      }
      layout.charged.clear();
    }
    this.#touched.length = 0;
    this.#total += added;
    return added;
  }

  /**
   * Where a number held in a field of the visited object's class is: once a field held a number
   * that is not a small integer, V8 gives it double representation and boxes every number
   * stored there after.
   */
  #fieldSlot(key: unknown, value: number): NumberSlot {
    const doubles = this.#fields!;
    if (!isSmi(value)) doubles.add(key);
    else if (doubles.size === 0 || !doubles.has(key)) return TAGGED;
    return DOUBLE_FIELD;
  }

  /** A dictionary-mode object holds its keys itself: they are counted as its referents. */
  #collectKeys(value: object): void {
    for (const key of ownKeys(value)) {
      if (typeof key !== "string") continue;
      this.#found[this.#foundCount] = key;
      this.#foundSlots[this.#foundCount] = TAGGED;
      if (this.#naming) this.#foundNames[this.#foundCount] = { kind: "key", key, via: "" };
      this.#foundCount++;
    }
  }

  #aligned(raw: number): number {
    const { align } = this.#options;
    return align >= 2 ? Math.ceil(raw / align) * align : raw;
  }

  #count(shape: Shape, value: unknown): number {
    const flat = this.#aligned(this.#layout.flat(shape));
    if (flat === 0) return 0;
    this.#sized++;
    this.#total += flat;
    if (this.#options.stats >= 2) {
      const type = typeKey(value);
      const profile = this.#profiles.get(type) ??
        { count: 0, total: 0, largest: 0, largestName: "" };
      profile.count++;
      profile.total += flat;
      if (flat > profile.largest) {
        profile.largest = flat;
        profile.largestName = describe(value, this.#options.clip);
      }
      this.#profiles.set(type, profile);
    }
    return flat;
  }

  #isExcludedType(value: object): boolean {
    if (brand.isProxy(value)) return false;
    for (
      let prototype = getPrototypeOf(value);
      prototype !== null;
      prototype = getPrototypeOf(prototype)
    ) {
      if (this.#excludedTypes.includes(prototype)) return true;
      if (brand.isProxy(prototype)) return false;
    }
    return false;
  }

  #rank(size: number, name: string, depth: number, parent: number, index: number): void {
    if (this.#options.above <= 0 || size <= this.#options.above) return;
    this.#ranked[this.#ranked.length] = { size, name, depth, parent, index };
    this.#ranked.sort((a, b) => b.size - a.size);
    if (this.#ranked.length > 100) this.#ranked.length = 100;
  }

  /**
   * Prints Pympler's statistics of what was sized: totals, the largest objects, and with
   * `stats` ≥ 2 the per-type profiles, with 3 the layout table.
   *
   * @param options `stats` level (default 3) and where to print.
   */
  printStats(options: { stats?: number; stream?: TextStream } = {}): void {
    const { stats = 3, stream = this.#stream ?? stdout } = options;
    this.printSummary({ stream });
    this.printLargest({ stream });
    if (stats >= 2) this.printProfiles({ stream });
    if (stats >= 3) this.printTypedefs({ stream });
  }

  /** Prints the totals: bytes, alignment, objects given, sized, seen, duplicates, depth. */
  printSummary(options: { stream?: TextStream } = {}): void {
    const stream = options.stream ?? this.#stream ?? stdout;
    const w = String(this.#visits + this.#total).length + 1;
    const n = (count: number) => String(count).padStart(w);
    const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? "" : "s"}`;
    const lines = [
      `${n(this.#total)} bytes${si(this.#total)}${this.#options.code ? " (incl. code)" : ""}`,
    ];
    if (this.#options.align > 1) lines.push(`${n(this.#options.align)} byte aligned`);
    lines.push(
      `${n(this.#layout.name === "v8-compressed" ? 4 : 8)} byte pointers (${this.#layout.name})`,
    );
    lines.push(plural(this.#given, "object") + " given");
    lines.push(plural(this.#sized, "object") + " sized");
    lines.push(plural(this.#visits, "object") + " seen");
    if (this.#ranked.length > 0) lines.push(plural(this.#ranked.length, "object") + " ranked");
    lines.push(`${n(0)} objects missed`);
    lines.push(plural(this.#duplicate, "duplicate"));
    if (this.#deepest > 0) lines.push(`${n(this.#deepest)} deepest recursion`);
    if (this.#truncated > 0) {
      lines.push(
        `${n(this.#truncated)} objects not followed past limit=${this.#options.limit}: raise limit`,
      );
    }
    stream.write(lines.join("\n") + "\n");
  }

  /** Prints the largest objects sized (over `above`), up to `cutoff`. */
  printLargest(options: { stream?: TextStream; cutoff?: number } = {}): void {
    const stream = options.stream ?? this.#stream ?? stdout;
    const cutoff = options.cutoff ?? this.#options.cutoff;
    if (this.#ranked.length === 0) return;
    const shown = this.#ranked.slice(0, cutoff);
    const w = String(shown[0]!.size).length + 1;
    const lines = [
      "",
      `${
        String(shown.length).padStart(w)
      } largest objects (of ${this.#ranked.length} over ${this.#options.above} bytes${
        si(this.#options.above)
      })`,
    ];
    for (const entry of shown) {
      const at = entry.depth > 0 ? ` (at ${entry.depth})` : "";
      const parent = entry.parent >= 0 ? `, pix ${entry.parent}` : "";
      lines.push(
        `${String(entry.size).padStart(w)} bytes${
          si(entry.size)
        }: ${entry.name}, ix ${entry.index}${at}${parent}`,
      );
    }
    stream.write(lines.join("\n") + "\n");
  }

  /** Prints per-type profiles: count, total (share of the grand total), average, largest. */
  printProfiles(options: { stream?: TextStream; cutoff?: number } = {}): void {
    const stream = options.stream ?? this.#stream ?? stdout;
    const cutoff = options.cutoff ?? this.#options.cutoff;
    const profiles = [...this.#profiles.entries()].sort((a, b) => b[1].total - a[1].total);
    if (profiles.length === 0) return;
    const w = String(Math.max(...profiles.map(([, p]) => p.count))).length + 1;
    const lines = [
      "",
      `${
        String(profiles.length).padStart(w)
      } profiles:  total (% of grand total), average, and largest flat size:  largest object`,
    ];
    let below = 0;
    for (const [type, profile] of profiles) {
      const share = this.#total > 0 ? (100 * profile.total) / this.#total : 0;
      if (share < cutoff) {
        below++;
        continue;
      }
      lines.push(
        `${String(profile.count).padStart(w)} ${type} objects:  ${profile.total}${
          si(profile.total)
        } (${share.toFixed(0)}%), ${
          Math.round(profile.total / profile.count)
        }, ${profile.largest}:  ${profile.largestName}`,
      );
    }
    if (below > 0) lines.push(`${("+" + below).padStart(w)} profiles below cutoff (${cutoff}%)`);
    stream.write(lines.join("\n") + "\n");
  }

  /** Prints the layout model: what each kind of value costs on this engine. */
  printTypedefs(options: { stream?: TextStream } = {}): void {
    const stream = options.stream ?? this.#stream ?? stdout;
    const samples: [string, Shape][] = [
      ["{}", { kind: "object", properties: 0, elements: 0, dictionary: false, instance: false }],
      ["object with 8 properties", {
        kind: "object",
        properties: 8,
        elements: 0,
        dictionary: false,
        instance: false,
      }],
      ["dictionary object, 8 properties", {
        kind: "object",
        properties: 8,
        elements: 0,
        dictionary: true,
        instance: false,
      }],
      ["array of 10", { kind: "array", length: 10, elements: 10, properties: 0, sparse: false }],
      ["string of 10 (one byte)", { kind: "string", length: 10, twoByte: false }],
      ["string of 10 (two byte)", { kind: "string", length: 10, twoByte: true }],
      ["heap number", { kind: "number", boxed: true }],
      ["Map of 10", { kind: "map", size: 10, properties: 0 }],
      ["Set of 10", { kind: "set", size: 10, properties: 0 }],
      ["Date", { kind: "date", smallTime: false }],
      ["function", { kind: "function", prototypeSlot: false, properties: 0, code: 0 }],
    ];
    const lines = ["", `${samples.length} kinds on ${this.#layout.name}:  flat bytes`];
    for (const [label, shape] of samples) lines.push(`    ${label}:  ${this.#layout.flat(shape)}`);
    stream.write(lines.join("\n") + "\n");
  }

  #printSized(call: string, values: unknown[], sizes: number[]): void {
    const stream = this.#stream ?? stdout;
    const shown = values.map((value) => describe(value, 30)).join(", ");
    const options = objectEntries(this.#options).map(([key, value]) => `${key}=${value}`).join(
      ", ",
    );
    stream.write(
      `\n${call}(${shown.length > 80 ? shown.slice(0, 76) + "...." : shown}, ${options}) ...\n`,
    );
    if (call !== "asizeof") {
      for (const size of sizes) stream.write(`${size} bytes${si(size)}\n`);
    }
    this.printStats({ stats: this.#options.stats, stream });
  }
}

/** Pympler's `_SI`: ` or 7.3 KiB` for sizes of a KiB and more. */
function si(bytes: number): string {
  if (bytes < 1024) return "";
  let value = bytes;
  let prefix = 0;
  while (value >= 1024 && prefix < SI_PREFIXES.length - 1) {
    value /= 1024;
    prefix++;
  }
  return ` or ${value.toFixed(1)} ${SI_PREFIXES[prefix]}iB`;
}

const SI_PREFIXES = ["", "K", "M", "G", "T", "P", "E"];
