/**
 * `Asized`: the result tree of Pympler's `asized`, a size with its referents' sizes.
 *
 * @module
 */
/** A sized object with its referents' sizes, down to `detail` levels (Pympler's `Asized`). */
export class Asized {
  /** Its size with everything first reached through it. */
  readonly size: number;
  /** Its own size. */
  readonly flat: number;
  /** Its referents, sized, in the order they were reached. */
  readonly refs: readonly Asized[];
  /** How it is named: a description, a property name, `[3]`, `[K] key`, `[V] key`. */
  readonly name: string;
  /**
   * Objects under it whose references were not followed because the walk reached `limit`: when
   * above 0, `size` leaves out what they hold (raise `limit`, e.g. to `Infinity`).
   */
  readonly truncated: number;

  /**
   * @param size Its size with what it references.
   * @param flat Its own size.
   * @param refs Its sized referents.
   * @param name Its name.
   * @param truncated Objects under it cut off by `limit`.
   */
  constructor(
    size: number,
    flat: number,
    refs: readonly Asized[],
    name: string,
    truncated = 0,
  ) {
    this.size = size;
    this.flat = flat;
    this.refs = refs;
    this.name = name;
    this.truncated = truncated;
  }

  /**
   * Lays the tree out one line per node, children indented four spaces, sorted by `orderBy`.
   *
   * @param options `depth`: levels shown below this one (-1 all); `orderBy`: `size`, `flat`
   * (descending) or `name` (ascending).
   * @returns The text.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { asized } from "heapler/sizeof";
   * const tree = asized({ data: [1, 2, 3] }, { detail: 1 });
   * assert(tree.format({ depth: 0 }).split("\n").length === 1);
   * ```
   */
  format(
    options: { depth?: number; orderBy?: "size" | "flat" | "name"; indent?: string } = {},
  ): string {
    const { depth = -1, orderBy = "size", indent = "" } = options;
    const cut = this.truncated > 0 && indent === ""
      ? ` (limit reached: ${this.truncated} object${
        this.truncated === 1 ? "" : "s"
      } not followed, raise limit)`
      : "";
    const lines = [`${indent}${this.name} size=${this.size} flat=${this.flat}${cut}`];
    if (depth !== 0) {
      const children = [...this.refs].sort((a, b) =>
        orderBy === "name"
          ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
          : b[orderBy] - a[orderBy]
      );
      for (const child of children) {
        lines.push(child.format({ depth: depth - 1, orderBy, indent: indent + "    " }));
      }
    }
    return lines.join("\n");
  }

  /**
   * The referent with this exact name.
   *
   * @param name The name.
   * @returns The child, or undefined.
   */
  get(name: string): Asized | undefined {
    return this.refs.find((ref) => ref.name === name);
  }

  /** `size 184, flat 88, refs[0], name '[1, 2, 3]'`, as Pympler prints it. */
  toString(): string {
    return `size ${this.size}, flat ${this.flat}, refs[${this.refs.length}], name '${this.name}'`;
  }
}
