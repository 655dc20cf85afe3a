/**
 * The garbage pages' groups: what a check snapshot holds in new reference cycles, and what was
 * freed since the baseline, split into connected groups.
 *
 * @module
 */
import { GarbageGraph, type GarbageObject } from "../garbagegraph/mod.ts";
import type { HeapSnapshot } from "../heap/mod.ts";
import type { ReferenceGraph } from "../refgraph/mod.ts";

/** One group of garbage. */
export interface ComponentRow {
  index: number;
  /** `alive`: on cycles made since the baseline and still alive; `freed`: collected since. */
  kind: "alive" | "freed";
  objects: number;
  inCycles: number;
  size: number;
  /** What the group is made of, most numerous first: `RequestContext × 20, Response × 20`. */
  types: string;
}

/** One group of garbage, with its objects and drawings. */
export interface Component {
  row: ComponentRow;
  objects: GarbageObject[];
  graph: ReferenceGraph;
  reduced: ReferenceGraph;
}

/** The groups of a check against a baseline. */
export interface GarbageGroups {
  /** The groups with a cycle: live ones first (leak suspects), then freed ones, each largest first. */
  components: Component[];
  /** The objects freed that were on no cycle, counted. */
  freedOffCycles: { objects: number; size: number };
}

/**
 * Compares a baseline with a check: the groups with a reference cycle, live ones first, then
 * freed ones, each largest first; freed objects off cycles are only counted.
 *
 * @param baseline The earlier snapshot.
 * @param check The later one.
 * @returns The groups.
 * @throws {UnstableIdsError} On snapshots whose ids do not name objects across them (Bun).
 */
export function garbageGroups(baseline: HeapSnapshot, check: HeapSnapshot): GarbageGroups {
  const graphs: [ComponentRow["kind"], GarbageGraph][] = [
    ["alive", GarbageGraph.compare(baseline, check, { collectable: false })],
    ["freed", GarbageGraph.compare(baseline, check, { collectable: true })],
  ];
  const result: GarbageGroups = { components: [], freedOffCycles: { objects: 0, size: 0 } };
  for (const [kind, garbage] of graphs) {
    const sizeOf = new Map(garbage.objects.map((object) => [object.id, object]));
    const groups = garbage.graph.split().map((graph): Component => {
      const reduced = graph.reduced();
      const objects = graph.nodes.map((node) => sizeOf.get(node.id!)!).filter(Boolean)
        .sort((a, b) => b.selfSize - a.selfSize);
      return {
        objects,
        graph,
        reduced,
        row: {
          index: 0,
          kind,
          objects: graph.nodes.length,
          inCycles: reduced.nodes.length,
          size: objects.reduce((sum, object) => sum + object.selfSize, 0),
          types: typesOf(objects),
        },
      };
    }).sort((a, b) => b.row.size - a.row.size);
    // Freed objects off any cycle are many and plain: counted, not listed.
    const acyclic = groups.filter((group) => group.row.inCycles === 0);
    if (kind === "freed") {
      result.freedOffCycles = {
        objects: acyclic.reduce((sum, group) => sum + group.row.objects, 0),
        size: acyclic.reduce((sum, group) => sum + group.row.size, 0),
      };
    }
    result.components.push(...groups.filter((group) => group.row.inCycles > 0));
  }
  result.components.forEach((component, index) => component.row.index = index);
  return result;
}

/** The classes of a group's objects, most numerous first, at most three and a count of the rest. */
function typesOf(objects: readonly GarbageObject[]): string {
  const counts = new Map<string, number>();
  for (const { className } of objects) counts.set(className, (counts.get(className) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const named = sorted.slice(0, 3).map(([name, count]) => `${name} × ${count}`);
  if (sorted.length > 3) named.push(`${sorted.length - 3} more types`);
  return named.join(", ");
}
