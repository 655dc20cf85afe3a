import type { HeapSnapshot } from "./heap_snapshot.ts";
import { selectedNodes } from "./selection.ts";

/** Thrown when a question needs ids that identify one object across snapshots, and they do not. */
export class UnstableIdsError extends Error {
  override readonly name = "UnstableIdsError";

  /**
   * @param what What was asked.
   * @param options The error that revealed it, as `cause`.
   */
  constructor(what: string, options?: ErrorOptions) {
    super(
      `Cannot ${what}: these snapshots number their objects afresh each time (Bun does), ` +
        `so one id does not name one object across them; type-level summaries and diffs still work`,
      options,
    );
  }
}

/** Objects that appeared and disappeared between two snapshots, as ordinals. */
export interface SnapshotDiff {
  /** Ordinals, in the later snapshot, of objects whose ids the earlier one lacks. */
  added: Uint32Array;
  /** Ordinals, in the earlier snapshot, of objects whose ids the later one lacks. */
  removed: Uint32Array;
}

/**
 * Compares two snapshots of one process by object id.
 *
 * @param before The earlier snapshot.
 * @param after The later one.
 * @returns The added and removed objects.
 * @throws {UnstableIdsError} If either snapshot's ids are not stable (Bun).
 *
 * @example
 * ```ts ignore
 * import { diffById, HeapSnapshot } from "heapler/heap";
 * const before = await HeapSnapshot.read("a.heapsnapshot");
 * const after = await HeapSnapshot.read("b.heapsnapshot");
 * const { added } = diffById(before, after);
 * console.log(added.length, "new objects");
 * ```
 */
export function diffById(before: HeapSnapshot, after: HeapSnapshot): SnapshotDiff {
  if (!before.stableIds || !after.stableIds) {
    throw new UnstableIdsError("diff snapshots by object id");
  }
  const left = before.ordinalsById;
  const right = after.ordinalsById;
  const added: number[] = [];
  const removed: number[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const a = i < left.length ? before.idOf(left[i]!) : Infinity;
    const b = j < right.length ? after.idOf(right[j]!) : Infinity;
    if (a === b) {
      i++;
      j++;
    } else if (a < b) {
      removed.push(left[i++]!);
    } else {
      added.push(right[j++]!);
    }
  }
  return { added: Uint32Array.from(added), removed: Uint32Array.from(removed) };
}

/** One class of leaked objects. */
export interface LeakGroup {
  /** The DevTools class name. */
  className: string;
  /** How many objects of the class leaked. */
  count: number;
  /** Their own bytes. */
  selfSize: number;
  /** What freeing them would free, not counting what another leaked object already holds. */
  retainedSize: number;
  /** Ids of the leaked objects, largest retained size first (at most `maxIds`). */
  ids: number[];
  /** The retaining path of the largest one. */
  path: string;
}

/** Options of {@linkcode findLeaks}. */
export interface LeakOptions {
  /** Count what heapler itself holds in the program. @default false */
  includeHeapler?: boolean;
  /** The most ids listed per group. @default 10 */
  maxIds?: number;
}

/**
 * Finds objects allocated during an action and still alive after it: memlab's
 * `(target − baseline) ∩ final` by id, restricted to program objects the root reaches,
 * grouped by class, largest retained size first.
 *
 * @param baseline A snapshot before the action.
 * @param target A snapshot after the action.
 * @param final A snapshot after the action was undone (or repeated and cleaned up).
 * @param options Filters.
 * @returns The leaked classes.
 * @throws {UnstableIdsError} If the snapshots' ids are not stable (Bun).
 *
 * @example
 * ```ts ignore
 * import { findLeaks, HeapSnapshot } from "heapler/heap";
 * const [a, b, c] = await Promise.all(["a", "b", "c"].map((n) => HeapSnapshot.read(`${n}.heapsnapshot`)));
 * for (const group of findLeaks(a, b, c)) console.log(group.className, group.count, group.path);
 * ```
 */
export function findLeaks(
  baseline: HeapSnapshot,
  target: HeapSnapshot,
  final: HeapSnapshot,
  options: LeakOptions = {},
): LeakGroup[] {
  if (!baseline.stableIds || !target.stableIds || !final.stableIds) {
    throw new UnstableIdsError("find leaks across snapshots");
  }
  const { includeHeapler = false, maxIds = 10 } = options;
  // New in the target: there, and not in the baseline (lookups by bisection, no Set per object).
  const isNew = (id: number): boolean => target.ordinalOf(id) >= 0 && baseline.ordinalOf(id) < 0;
  const counted = selectedNodes(final, { includeHeapler, programOnly: true });
  const leaked = new Uint8Array(final.nodeCount);
  for (let node = 0; node < final.nodeCount; node++) {
    if (counted[node] === 1 && isNew(final.idOf(node))) leaked[node] = 1;
  }
  // A leaked object held by another leaked object adds nothing to what fixing the leak frees.
  const { dominator, order } = final.dominators;
  const covered = new Uint8Array(final.nodeCount);
  for (let i = 1; i < order.length; i++) {
    const node = order[i]!;
    const parent = dominator[node]!;
    covered[node] = leaked[parent] === 1 || covered[parent] === 1 ? 1 : 0;
  }
  const retained = final.retainedSizes;
  const groups = new Map<string, { group: LeakGroup; members: number[] }>();
  for (let node = 0; node < final.nodeCount; node++) {
    if (leaked[node] !== 1) continue;
    const className = final.classNameOf(node);
    let entry = groups.get(className);
    if (entry === undefined) {
      entry = {
        group: { className, count: 0, selfSize: 0, retainedSize: 0, ids: [], path: "" },
        members: [],
      };
      groups.set(className, entry);
    }
    entry.group.count++;
    entry.group.selfSize += final.selfSizeOf(node);
    if (covered[node] !== 1) entry.group.retainedSize += retained[node]!;
    entry.members.push(node);
  }
  const result = [...groups.values()].map(({ group, members }) => {
    members.sort((a, b) => retained[b]! - retained[a]!);
    group.ids = members.slice(0, maxIds).map((node) => final.idOf(node));
    group.path = final.describePath(members[0]!);
    return group;
  });
  return result.sort((a, b) => b.retainedSize - a.retainedSize || b.count - a.count);
}
