/**
 * The instances of a class in a snapshot, found through its prototype on V8 and on
 * JavaScriptCore: how `ClassTracker` discovers instances of classes it cannot wrap.
 *
 * @module
 */
import type { HeapSnapshot } from "./heap_snapshot.ts";

/**
 * The instances whose prototype is the node `prototype`: V8 links each to it by a `__proto__`
 * edge; JavaScriptCore (Bun) through the object's shape, which links to the prototype.
 *
 * @param snapshot The snapshot.
 * @param prototype The prototype's node.
 * @returns The instances' nodes.
 */
export function instancesOf(snapshot: HeapSnapshot, prototype: number): number[] {
  const { firstRetainer, retainerEdge, retainerNode } = snapshot.retainers;
  const found = new Set<number>();
  for (let r = firstRetainer[prototype]!; r < firstRetainer[prototype + 1]!; r++) {
    const holder = retainerNode[r]!;
    const edgeName = snapshot.edgeNameOf(retainerEdge[r]!);
    if (edgeName === "__proto__" && snapshot.typeOf(holder) === "object") found.add(holder);
    if (snapshot.typeOf(holder) !== "object shape" || !/^(prototype)?$/.test(edgeName)) continue;
    if (snapshot.edgeTypeOf(retainerEdge[r]!) !== "internal") continue;
    for (let s = firstRetainer[holder]!; s < firstRetainer[holder + 1]!; s++) {
      const instance = retainerNode[s]!;
      const type = snapshot.typeOf(instance);
      if (
        (type === "object" || type === "array") &&
        snapshot.edgeTypeOf(retainerEdge[s]!) === "internal"
      ) {
        found.add(instance);
      }
    }
  }
  found.delete(prototype);
  // A subclass's prototype links to the class's prototype as its instances do: leave it out.
  return [...found].filter((candidate) => {
    for (let r = firstRetainer[candidate]!; r < firstRetainer[candidate + 1]!; r++) {
      if (
        snapshot.edgeNameOf(retainerEdge[r]!) === "prototype" &&
        snapshot.typeOf(retainerNode[r]!) === "closure"
      ) return false;
    }
    return true;
  });
}
