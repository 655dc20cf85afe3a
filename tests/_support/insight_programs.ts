/**
 * Hand-built heaps for the insights tests, with figures worked out by hand.
 *
 * @module
 */
import type { NodeSpec } from "./snapshot_builder.ts";

/**
 * A program's heap, by position:
 * `global.store` → an Array of three `{status, code}` objects (40, 40 and 56 B) whose `status`
 * strings are three copies of "ok" (20 B each) and whose `code` is one shared "E1", and two empty
 * arrays; `global.onTick` → a function of file:///app.js whose scope holds a 1,000 B buffer;
 * `global.config` → `{debug}`; `global.Array` → a built-in.
 */
export const WASTEFUL_PROGRAM: NodeSpec[] = [
  {
    type: "synthetic",
    name: "",
    id: 1,
    selfSize: 0,
    edges: [{ type: "shortcut", name: "global", to: 1 }],
  },
  {
    type: "object",
    name: "global",
    id: 3,
    selfSize: 100,
    edges: [
      { type: "property", name: "store", to: 2 },
      { type: "property", name: "onTick", to: 14 },
      { type: "property", name: "config", to: 20 },
      { type: "property", name: "Array", to: 21 },
    ],
  },
  {
    type: "object",
    name: "Array",
    id: 5,
    selfSize: 32,
    edges: [3, 4, 5, 6, 7].map((to, i) => ({ type: "element", name: i, to })),
  },
  ...[0, 1, 2].map((i): NodeSpec => ({
    type: "object",
    name: "Object",
    id: 7 + 2 * i,
    selfSize: i === 2 ? 56 : 40,
    edges: [
      { type: "property", name: "status", to: 8 + i },
      { type: "property", name: "code", to: 11 },
    ],
  })),
  { type: "object", name: "Array", id: 13, selfSize: 16 },
  { type: "object", name: "Array", id: 15, selfSize: 16 },
  { type: "string", name: "ok", id: 17, selfSize: 20 },
  { type: "string", name: "ok", id: 19, selfSize: 20 },
  { type: "string", name: "ok", id: 21, selfSize: 20 },
  { type: "string", name: "E1", id: 23, selfSize: 16 },
  { type: "string", name: "E1 unused", id: 25, selfSize: 16 },
  { type: "string", name: "unused", id: 27, selfSize: 16 },
  {
    type: "closure",
    name: "onTick",
    id: 29,
    selfSize: 32,
    edges: [
      { type: "internal", name: "context", to: 15 },
      { type: "internal", name: "shared", to: 16 },
    ],
  },
  {
    type: "object",
    name: "system / Context",
    id: 31,
    selfSize: 24,
    edges: [{ type: "context", name: "buffer", to: 17 }],
  },
  {
    type: "code",
    name: "onTick",
    id: 33,
    selfSize: 20,
    edges: [{ type: "internal", name: "script", to: 18 }],
  },
  { type: "object", name: "Buffer", id: 35, selfSize: 1000 },
  {
    type: "code",
    name: "system / Script",
    id: 37,
    selfSize: 8,
    edges: [{ type: "internal", name: "name", to: 19 }],
  },
  { type: "string", name: "file:///app.js", id: 39, selfSize: 24 },
  {
    type: "object",
    name: "Object",
    id: 41,
    selfSize: 24,
    edges: [{ type: "property", name: "debug", to: 12 }],
  },
  { type: "closure", name: "Array", id: 43, selfSize: 32 },
];

/**
 * The same program after `step` more orders: `global.orders` (an Array) and `global.seen` (a Map
 * whose table holds each order) grow by one `Order` per step; `global.fixed` does not.
 */
export function growthProgram(step: number): NodeSpec[] {
  const orders = Array.from({ length: step }, (_, i) => 6 + i);
  return [
    {
      type: "synthetic",
      name: "",
      id: 1,
      selfSize: 0,
      edges: [{ type: "shortcut", name: "global", to: 1 }],
    },
    {
      type: "object",
      name: "global",
      id: 3,
      selfSize: 100,
      edges: [
        { type: "property", name: "orders", to: 2 },
        { type: "property", name: "seen", to: 3 },
        { type: "property", name: "fixed", to: 5 },
      ],
    },
    {
      type: "object",
      name: "Array",
      id: 5,
      selfSize: 16 + 8 * step,
      edges: orders.map((to, i) => ({ type: "element", name: i, to })),
    },
    {
      type: "object",
      name: "Map",
      id: 7,
      selfSize: 32,
      edges: [{ type: "internal", name: "table", to: 4 }],
    },
    {
      type: "array",
      name: "",
      id: 9,
      selfSize: 8 + 8 * step,
      edges: orders.map((to, i) => ({ type: "internal", name: String(i), to })),
    },
    { type: "object", name: "Fixed", id: 11, selfSize: 24 },
    ...orders.map((_, i): NodeSpec => ({
      type: "object",
      name: "Order",
      id: 101 + 2 * i,
      selfSize: 40,
    })),
  ];
}

/**
 * Arrays by their storage: `global.queue` holds two tasks in a store of 1,000 slots (8,016 B:
 * 16 B of header and 8 B a slot), `global.full` three in a store of three, `global.counts` a
 * store of 500 slots and no element the snapshot shows (small integers), `global.byIndex` two
 * tasks at indices 3 and 40,000 in a hash table of 144 B (dictionary elements).
 */
export const ARRAYS_PROGRAM: NodeSpec[] = [
  {
    type: "synthetic",
    name: "",
    id: 1,
    selfSize: 0,
    edges: [{ type: "shortcut", name: "global", to: 1 }],
  },
  {
    type: "object",
    name: "global",
    id: 3,
    selfSize: 100,
    edges: [
      { type: "property", name: "queue", to: 2 },
      { type: "property", name: "full", to: 4 },
      { type: "property", name: "counts", to: 6 },
      { type: "property", name: "byIndex", to: 11 },
    ],
  },
  {
    type: "object",
    name: "Array",
    id: 5,
    selfSize: 32,
    edges: [
      { type: "element", name: 0, to: 8 },
      { type: "element", name: 1, to: 9 },
      { type: "internal", name: "elements", to: 3 },
    ],
  },
  { type: "array", name: "(object elements)", id: 7, selfSize: 16 + 8 * 1000 },
  {
    type: "object",
    name: "Array",
    id: 9,
    selfSize: 32,
    edges: [
      ...[8, 9, 10].map((to, i) => ({ type: "element", name: i, to })),
      { type: "internal", name: "elements", to: 5 },
    ],
  },
  { type: "array", name: "(object elements)", id: 11, selfSize: 16 + 8 * 3 },
  {
    type: "object",
    name: "Array",
    id: 13,
    selfSize: 32,
    edges: [{ type: "internal", name: "elements", to: 7 }],
  },
  { type: "array", name: "(object elements)", id: 15, selfSize: 16 + 8 * 500 },
  { type: "object", name: "Task", id: 17, selfSize: 40 },
  { type: "object", name: "Task", id: 19, selfSize: 40 },
  { type: "object", name: "Task", id: 21, selfSize: 40 },
  {
    type: "object",
    name: "Array",
    id: 23,
    selfSize: 32,
    edges: [
      { type: "element", name: 3, to: 8 },
      { type: "element", name: 40000, to: 10 },
      { type: "internal", name: "elements", to: 12 },
    ],
  },
  { type: "array", name: "(object elements)", id: 25, selfSize: 144 },
];

/**
 * A page's heap: `global.cache`, an array of a detached `<div>` (retaining its text) and an
 * attached one; `global.removed`, a Set of two detached nodes; `global.shown`, an array of the
 * attached one only.
 */
export const STALE_PROGRAM: NodeSpec[] = [
  {
    type: "synthetic",
    name: "",
    id: 1,
    selfSize: 0,
    edges: [{ type: "shortcut", name: "global", to: 1 }],
  },
  {
    type: "object",
    name: "global",
    id: 3,
    selfSize: 100,
    edges: [
      { type: "property", name: "cache", to: 2 },
      { type: "property", name: "removed", to: 3 },
      { type: "property", name: "shown", to: 4 },
    ],
  },
  {
    type: "object",
    name: "Array",
    id: 5,
    selfSize: 32,
    edges: [{ type: "element", name: 0, to: 5 }, { type: "element", name: 1, to: 7 }],
  },
  {
    type: "object",
    name: "Set",
    id: 7,
    selfSize: 32,
    edges: [{ type: "internal", name: "table", to: 8 }],
  },
  {
    type: "object",
    name: "Array",
    id: 9,
    selfSize: 32,
    edges: [{ type: "element", name: 0, to: 7 }],
  },
  {
    type: "native",
    name: "Detached HTMLDivElement",
    id: 11,
    selfSize: 100,
    detached: true,
    edges: [{ type: "internal", name: "child", to: 6 }],
  },
  { type: "native", name: "Text", id: 13, selfSize: 50, detached: true },
  { type: "native", name: "HTMLDivElement", id: 15, selfSize: 100 },
  {
    type: "array",
    name: "(object elements)",
    id: 17,
    selfSize: 40,
    edges: [
      { type: "internal", name: "map", to: 11 },
      { type: "internal", name: "1", to: 9 },
      { type: "internal", name: "2", to: 10 },
    ],
  },
  { type: "native", name: "Detached HTMLSpanElement", id: 19, selfSize: 200, detached: true },
  { type: "native", name: "Detached HTMLSpanElement", id: 21, selfSize: 60, detached: true },
  { type: "hidden", name: "system / Map", id: 23, selfSize: 40 },
];
