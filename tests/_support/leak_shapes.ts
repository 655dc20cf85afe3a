/**
 * The ways a program leaks, each with its own class so that one summary row is one shape: held by
 * an array, a Map (as value and as key), a Set, a closure, an event listener, a timer, a class
 * field, a promise chain, a module variable, a global. `leak` keeps what it makes, as a program
 * that forgot to let go; `clean` makes the same objects the same way and lets them go.
 *
 * @module
 */
import { EventEmitter } from "node:events";

/** One way to leak. */
export interface LeakShape {
  /** The shape, as the test names it. */
  name: string;
  /** The class of what it leaks: one per shape. */
  className: string;
  /**
   * What a referrer tree of one leaked object shows at its end on V8: the named holder (a module
   * variable of this file, or a global property).
   */
  holder: RegExp;
  /** Makes `count` objects and keeps them; returns them, the last one last. */
  leak(count: number): object[];
  /** Makes `count` objects the same way, then lets them go. */
  clean(count: number): void;
}

/** This module's scope, as a referrer tree names it. */
const SCOPE = String.raw`system / Context \(_support/leak_shapes\.ts\)`;

class ViaArray {
  constructor(readonly n: number) {}
}
class ViaMapValue {
  constructor(readonly n: number) {}
}
class ViaMapKey {
  constructor(readonly n: number) {}
}
class ViaSet {
  constructor(readonly n: number) {}
}
class ViaClosure {
  constructor(readonly n: number) {}
}
class ViaListener {
  constructor(readonly n: number) {}
}
class ViaTimer {
  constructor(readonly n: number) {}
}
class ViaField {
  constructor(readonly n: number) {}
}
class ViaPromise {
  constructor(readonly n: number) {}
}
class ViaModuleVariable {
  constructor(readonly n: number, readonly previous: ViaModuleVariable | undefined) {}
}
class ViaGlobal {
  constructor(readonly n: number) {}
}

/** A class whose instances keep what they are given in a field. */
class Registry {
  readonly entries: ViaField[] = [];
}

const arrayHolder: ViaArray[] = [];
const mapValues = new Map<number, ViaMapValue>();
const mapKeys = new Map<ViaMapKey, number>();
const setHolder = new Set<ViaSet>();
const closures: (() => number)[] = [];
const bus = new EventEmitter();
bus.setMaxListeners(0);
const timers: ReturnType<typeof setInterval>[] = [];
const registry = new Registry();
const never = new Promise<void>(() => {});
let lastOfChain: ViaModuleVariable | undefined;
const globals = globalThis as { leakedGlobals?: ViaGlobal[] };

let made = 0;

/** Runs `keep` on `count` new objects of a class and returns them. */
function each<T>(count: number, make: (n: number) => T, keep: (value: T) => void): T[] {
  const values: T[] = [];
  for (let i = 0; i < count; i++) {
    const value = make(made++);
    keep(value);
    values.push(value);
  }
  return values;
}

const atTheEnd = 2 ** 31 - 1; // the longest interval: a timer that never fires during a test

/** The shapes, in the order. */
export const SHAPES: readonly LeakShape[] = [
  {
    name: "array",
    className: "ViaArray",
    holder: new RegExp(`Array \\[\\d+\\]--${SCOPE} context arrayHolder$`),
    leak: (count) => each(count, (n) => new ViaArray(n), (value) => arrayHolder.push(value)),
    clean: (count) => {
      const before = arrayHolder.length;
      each(count, (n) => new ViaArray(n), (value) => arrayHolder.push(value));
      arrayHolder.length = before;
    },
  },
  {
    name: "Map value",
    className: "ViaMapValue",
    holder: new RegExp(`Map table\\[\\d+\\]--${SCOPE} context mapValues$`),
    leak: (count) =>
      each(count, (n) => new ViaMapValue(n), (value) => mapValues.set(value.n, value)),
    clean: (count) => {
      const fresh = each(
        count,
        (n) => new ViaMapValue(n),
        (value) => mapValues.set(value.n, value),
      );
      for (const value of fresh) mapValues.delete(value.n);
    },
  },
  {
    name: "Map key",
    className: "ViaMapKey",
    holder: new RegExp(`Map table\\[\\d+\\]--${SCOPE} context mapKeys$`),
    leak: (count) => each(count, (n) => new ViaMapKey(n), (value) => mapKeys.set(value, value.n)),
    clean: (count) => {
      const fresh = each(count, (n) => new ViaMapKey(n), (value) => mapKeys.set(value, value.n));
      for (const value of fresh) mapKeys.delete(value);
    },
  },
  {
    name: "Set",
    className: "ViaSet",
    holder: new RegExp(`Set table\\[\\d+\\]--${SCOPE} context setHolder$`),
    leak: (count) => each(count, (n) => new ViaSet(n), (value) => setHolder.add(value)),
    clean: (count) => {
      const fresh = each(count, (n) => new ViaSet(n), (value) => setHolder.add(value));
      for (const value of fresh) setHolder.delete(value);
    },
  },
  {
    name: "closure",
    className: "ViaClosure",
    holder: new RegExp(`Array \\[\\d+\\]--${SCOPE} context closures$`),
    leak: (count) => each(count, (n) => new ViaClosure(n), (value) => closures.push(() => value.n)),
    clean: (count) => {
      const before = closures.length;
      each(count, (n) => new ViaClosure(n), (value) => closures.push(() => value.n));
      closures.length = before;
    },
  },
  {
    name: "event listener",
    className: "ViaListener",
    holder: new RegExp(`EventEmitter \\._events--${SCOPE} context bus$`),
    leak: (count) =>
      each(count, (n) => new ViaListener(n), (value) => bus.on("change", () => value.n)),
    clean: (count) => {
      const listeners: (() => number)[] = [];
      each(count, (n) => new ViaListener(n), (value) => listeners.push(() => value.n));
      for (const listener of listeners) bus.on("change", listener);
      for (const listener of listeners) bus.off("change", listener);
    },
  },
  {
    name: "timer",
    className: "ViaTimer",
    holder: /timer/i,
    leak: (count) =>
      each(count, (n) => new ViaTimer(n), (value) => {
        const timer = setInterval(() => value.n, atTheEnd);
        (timer as { unref?: () => void }).unref?.();
        timers.push(timer);
      }),
    clean: (count) => {
      each(count, (n) => new ViaTimer(n), (value) => {
        const timer = setInterval(() => value.n, atTheEnd);
        clearInterval(timer);
      });
    },
  },
  {
    name: "class field",
    className: "ViaField",
    holder: new RegExp(`Registry \\.entries--${SCOPE} context registry$`),
    leak: (count) => each(count, (n) => new ViaField(n), (value) => registry.entries.push(value)),
    clean: (count) => {
      const before = registry.entries.length;
      each(count, (n) => new ViaField(n), (value) => registry.entries.push(value));
      registry.entries.length = before;
    },
  },
  {
    name: "promise chain",
    className: "ViaPromise",
    holder: new RegExp(`${SCOPE} context never$`),
    leak: (count) =>
      each(count, (n) => new ViaPromise(n), (value) => void never.then(() => value.n)),
    clean: (count) => {
      each(count, (n) => new ViaPromise(n), (value) => void Promise.resolve().then(() => value.n));
    },
  },
  {
    name: "module variable",
    className: "ViaModuleVariable",
    holder: new RegExp(`^ViaModuleVariable--${SCOPE} context lastOfChain$`),
    leak: (count) =>
      each(
        count,
        (n) => new ViaModuleVariable(n, lastOfChain),
        (value) => lastOfChain = value,
      ),
    clean: (count) => {
      const before = lastOfChain;
      each(count, (n) => new ViaModuleVariable(n, lastOfChain), (value) => lastOfChain = value);
      lastOfChain = before;
    },
  },
  {
    name: "global",
    className: "ViaGlobal",
    holder: /Array \[\d+\]--.+ \.leakedGlobals$/,
    leak: (count) =>
      each(count, (n) => new ViaGlobal(n), (value) => (globals.leakedGlobals ??= []).push(value)),
    clean: (count) => {
      const list = globals.leakedGlobals ??= [];
      const before = list.length;
      each(count, (n) => new ViaGlobal(n), (value) => list.push(value));
      list.length = before;
    },
  },
];

/** Lets everything the shapes kept go: the timers stop, the holders empty. */
export function releaseAll(): void {
  for (const timer of timers.splice(0)) clearInterval(timer);
  arrayHolder.length = 0;
  mapValues.clear();
  mapKeys.clear();
  setHolder.clear();
  closures.length = 0;
  bus.removeAllListeners();
  registry.entries.length = 0;
  lastOfChain = undefined;
  delete globals.leakedGlobals;
}
