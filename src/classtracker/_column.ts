/** A growable column of numbers, for the tracker's per-object records. @module */

/** A growable column of numbers in one typed array: 8 bytes a row, no boxing. */
export class NumberColumn {
  #data = new Float64Array(1024);
  /** Rows in use. */
  length = 0;

  /** Appends a row and returns its index. */
  push(value: number): number {
    if (this.length === this.#data.length) {
      const grown = new Float64Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.length] = value;
    return this.length++;
  }

  get(row: number): number {
    return this.#data[row]!;
  }

  set(row: number, value: number): void {
    this.#data[row] = value;
  }

  /** The bytes it holds. */
  get bytes(): number {
    return this.#data.byteLength;
  }

  /** Forgets every row. */
  clear(): void {
    this.#data = new Float64Array(1024);
    this.length = 0;
  }
}
