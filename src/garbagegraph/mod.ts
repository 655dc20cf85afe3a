/**
 * Pympler's `garbagegraph` for JavaScript. JavaScript collects cycles silently, so garbage is
 * measured: `startDebugGarbage()` takes a baseline snapshot, and a `GarbageGraph` compares a
 * new one with it by object id — the objects freed in between, with the references they had
 * among themselves (from the baseline); or, with `collectable: false`, the cycles among
 * objects allocated since the baseline that are still alive, the leak suspects.
 *
 * @module
 */
export {
  endDebugGarbage,
  GarbageGraph,
  type GarbageGraphOptions,
  type GarbageObject,
  startDebugGarbage,
} from "./garbage_graph.ts";
