/**
 * Builds small V8-format heap snapshots by hand, for parser and algorithm tests.
 *
 * @module
 */

/** One edge of a hand-built node: its type, name (or index) and target node's position. */
export interface EdgeSpec {
  type: string;
  name: string | number;
  to: number;
}

/** One hand-built node. */
export interface NodeSpec {
  type: string;
  name: string;
  id: number;
  selfSize: number;
  edges?: EdgeSpec[];
  /** Marked detached (V8's `detachedness` 2), as a DOM node off its page. */
  detached?: boolean;
}

/** Options of {@linkcode buildSnapshot}. */
export interface BuildOptions {
  /** Include Node 20's `trace_node_id` field (Deno's V8 15 has none). */
  traceNodeId?: boolean;
}

export const NODE_TYPES = [
  "hidden",
  "array",
  "string",
  "object",
  "code",
  "closure",
  "regexp",
  "number",
  "native",
  "synthetic",
  "concatenated string",
  "sliced string",
  "symbol",
  "bigint",
  "object shape",
];
export const EDGE_TYPES = [
  "context",
  "element",
  "property",
  "internal",
  "hidden",
  "shortcut",
  "weak",
];

/** The snapshot's JSON text. */
export function buildSnapshot(nodes: readonly NodeSpec[], options: BuildOptions = {}): string {
  const traceNodeId = options.traceNodeId ?? true;
  const nodeFields = [
    "type",
    "name",
    "id",
    "self_size",
    "edge_count",
    ...(traceNodeId ? ["trace_node_id"] : []),
    "detachedness",
  ];
  const strings: string[] = [""];
  const index = (text: string) => {
    let at = strings.indexOf(text);
    if (at < 0) at = strings.push(text) - 1;
    return at;
  };
  const nodeNumbers: number[] = [];
  const edgeNumbers: number[] = [];
  for (const node of nodes) {
    const edges = node.edges ?? [];
    nodeNumbers.push(
      NODE_TYPES.indexOf(node.type),
      index(node.name),
      node.id,
      node.selfSize,
      edges.length,
    );
    if (traceNodeId) nodeNumbers.push(0);
    nodeNumbers.push(node.detached ? 2 : 0);
    for (const edge of edges) {
      const numeric = edge.type === "element" || edge.type === "hidden";
      edgeNumbers.push(
        EDGE_TYPES.indexOf(edge.type),
        numeric ? Number(edge.name) : index(String(edge.name)),
        edge.to * nodeFields.length,
      );
    }
  }
  const header = {
    meta: {
      node_fields: nodeFields,
      node_types: [NODE_TYPES, "string", "number", "number", "number", "number", "number"],
      edge_fields: ["type", "name_or_index", "to_node"],
      edge_types: [EDGE_TYPES, "string_or_number", "node"],
      location_fields: ["object_index", "script_id", "line", "column"],
    },
    node_count: nodes.length,
    edge_count: edgeNumbers.length / 3,
    trace_function_count: 0,
  };
  return `{"snapshot":${JSON.stringify(header)},\n"nodes":[${nodeNumbers.join(",")}],\n"edges":[${
    edgeNumbers.join(",")
  }],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[${
    strings.map((text) => JSON.stringify(text)).join(",\n")
  }]}\n`;
}

/**
 * A small program's heap: `root ─shortcut→ global ─.cache→ Map ─(internal) table→
 * (object elements) ─[i]→ Leaky`, one `Leaky` object (40 B) per id given, plus `extra` nodes.
 */
export function cacheProgram(leaky: number[], extra: NodeSpec[] = []): NodeSpec[] {
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
      edges: [{ type: "property", name: "cache", to: 2 }],
    },
    {
      type: "object",
      name: "Map",
      id: 5,
      selfSize: 32,
      edges: [{ type: "internal", name: "table", to: 3 }],
    },
    {
      type: "array",
      name: "(object elements)",
      id: 7,
      selfSize: 16 + 8 * leaky.length,
      edges: leaky.map((_, i) => ({ type: "element", name: i, to: 4 + i })),
    },
    ...leaky.map((id) => ({ type: "object", name: "Leaky", id, selfSize: 40 })),
    ...extra,
  ];
}

/**
 * Two programs: a ring of `size` objects (`RingNode`, each `.next` the following one) held by the
 * root, then the root alone: the whole ring is garbage between them.
 */
export function ringFreed(size: number): [NodeSpec[], NodeSpec[]] {
  const holder: NodeSpec = { type: "object", name: "Holder", id: 3, selfSize: 16 };
  const root = (edges: EdgeSpec[]): NodeSpec => ({
    type: "synthetic",
    name: "",
    id: 1,
    selfSize: 0,
    edges,
  });
  const ring: NodeSpec[] = Array.from({ length: size }, (_, i) => ({
    type: "object",
    name: "RingNode",
    id: 5 + 2 * i,
    selfSize: 32,
    edges: [{ type: "property", name: "next", to: 2 + (i + 1) % size }],
  }));
  return [
    [
      root([{ type: "shortcut", name: "holder", to: 1 }, { type: "element", name: 1, to: 2 }]),
      holder,
      ...ring,
    ],
    [root([{ type: "shortcut", name: "holder", to: 1 }]), holder],
  ];
}
