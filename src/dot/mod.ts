/**
 * The DOT writer and the Graphviz renderer (compiled to WebAssembly, loaded once, lazily): no
 * system `dot` is needed on Deno, Node or Bun.
 *
 * @module
 */
export {
  DOT_NODE_LIMIT,
  type DotEdge,
  type DotNode,
  EDGE_LABEL_LIMIT,
  LABEL_LENGTH,
  type LayoutEngine,
  render,
  RENDER_NODE_LIMIT,
  type Rendered,
  type RenderFormat,
  type RenderOptions,
  suitsDot,
  svgGrid,
  toDot,
} from "./dot.ts";
