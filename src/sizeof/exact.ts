/**
 * The exact mode of `sizeof`: the same quantity measured from a heap snapshot of the running
 * program instead of estimated by the layout model.
 *
 * @module
 */
import { type HeapSnapshot, snapshotWithValues } from "../heap/mod.ts";
import { dominatedNodes } from "../graph/mod.ts";
import { isObjectLike, type ReferentSink, SafeSet, visitReferents } from "../reflect/mod.ts";
import { detectRuntime } from "../runtime/mod.ts";

/** What {@linkcode exactSizeof} measured. */
export interface ExactSize {
  /** The bytes one more such value costs: its retained size without hidden-class bytes. */
  size: number;
  /** Its retained size as DevTools shows it (hidden classes it alone holds included). */
  retained: number;
  /** The hidden-class (shape) bytes inside the retained size. */
  shapes: number;
  /** The number of heap objects it alone keeps alive, itself included. */
  objects: number;
  /**
   * Whether the snapshot holds all the value holds. Bun's heap snapshots leave out out-of-line
   * storage (array elements, the properties of an object past its inline ones) and the entries
   * of Maps and Sets: for a value that has any, the figures are what the snapshot shows, short
   * of those (`asizeof` models them).
   */
  complete: boolean;
}

/** Options of {@linkcode exactSizeof}. */
export interface ExactSizeOptions {
  /** Progress of the snapshot's parsing, in bytes read. */
  onProgress?: (bytesRead: number) => void;
}

/**
 * Measures values exactly from one heap snapshot: each value is located through a marker, and
 * its size is what only it keeps alive (its retained size) minus the hidden classes
 * (shapes) among that, which other such values would share. This sees what reflection cannot:
 * closure variables, `#private` fields, cons and sliced strings, engine-internal tables. A
 * value that is not a heap object (a small integer, `true`) measures 0.
 *
 * @param values The values.
 * @param options Progress reporting.
 * @returns One measurement per value.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exactSizeof } from "heapler/sizeof";
 * const build = () => ({ samples: new Array(300).fill(1.5) });
 * const [measured] = await exactSizeof([build()]);
 * assert(measured!.size > 300 * 8); // the object, its array, and 300 doubles
 * ```
 */
export async function exactSizeof(
  values: readonly unknown[],
  options: ExactSizeOptions = {},
): Promise<ExactSize[]> {
  const { snapshot, ordinals } = await snapshotWithValues(values, options);
  const children = dominatedNodes(snapshot.dominators);
  const partial = detectRuntime().engine === "jsc" ? holdsElementsOrEntries : () => false;
  return ordinals.map((ordinal, i) =>
    ordinal < 0
      ? { size: 0, retained: 0, shapes: 0, objects: 0, complete: true }
      : { ...measureNode(snapshot, children, ordinal), complete: !partial(values[i]) }
  );
}

/** JavaScriptCore keeps up to this many properties inline in a plain object built by assignment. */
const JSC_INLINE_PROPERTIES = 6;

/**
 * Whether a value holds, or reaches an object that holds, what Bun's snapshots leave out:
 * elements, Map or Set entries, or more properties than JavaScriptCore keeps inline.
 */
function holdsElementsOrEntries(value: unknown): boolean {
  const seen = new SafeSet<unknown>();
  const pending: unknown[] = [value];
  let found = false;
  let properties = 0;
  const sink: ReferentSink = (kind, referent) => {
    if (kind === "element" || kind === "key" || kind === "value") found = true;
    if (kind === "property") properties++;
    if (isObjectLike(referent) && !seen.has(referent)) {
      seen.add(referent);
      pending.push(referent);
    }
  };
  while (pending.length > 0 && !found) {
    properties = 0;
    visitReferents(pending.pop(), sink, false, false);
    if (properties > JSC_INLINE_PROPERTIES) found = true;
  }
  return found;
}

/**
 * Measures one node of a snapshot as {@linkcode exactSizeof} does.
 *
 * @param snapshot The snapshot.
 * @param children Its dominator tree as child lists (`dominatedNodes(snapshot.dominators)`).
 * @param ordinal The node.
 * @returns Its measurement.
 */
export function measureNode(
  snapshot: HeapSnapshot,
  children: ReturnType<typeof dominatedNodes>,
  ordinal: number,
): Omit<ExactSize, "complete"> {
  let shapes = 0;
  let objects = 0;
  const stack = [ordinal];
  while (stack.length > 0) {
    const node = stack.pop()!;
    objects++;
    if (isShape(snapshot, node)) shapes += snapshot.raw.selfSizes[node]!;
    for (let c = children.firstEdge[node]!; c < children.firstEdge[node + 1]!; c++) {
      stack.push(children.edgeTarget[c]!);
    }
  }
  const retained = snapshot.retainedSizes[ordinal]!;
  return { size: retained - shapes, retained, shapes, objects };
}

/** Hidden classes: V8's maps, descriptor and transition arrays, prototype info, enum caches. */
function isShape(snapshot: HeapSnapshot, node: number): boolean {
  const type = snapshot.typeOf(node);
  if (type === "object shape") return true;
  if (type !== "hidden" && type !== "array") return false;
  const name = snapshot.nameOf(node);
  return name.startsWith("system / Map") || name === "(map descriptors)" ||
    name.startsWith("system / DescriptorArray") || name.startsWith("system / TransitionArray") ||
    name === "(transition array)" || name.startsWith("system / PrototypeInfo") ||
    name.startsWith("system / EnumCache") || name === "(prototype transitions)";
}
