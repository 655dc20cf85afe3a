/**
 * A push parser for V8-format heap snapshots: bytes in (`write`), typed arrays out (`close`).
 * It never holds the file as one string, so files past V8's string limit load.
 *
 * @module
 */

/** Thrown for a snapshot that is not valid: bad JSON, counts that disagree, references out of range. */
export class HeapSnapshotSyntaxError extends SyntaxError {
  override readonly name = "HeapSnapshotSyntaxError";
  /** The byte offset in the input where the problem was found. */
  readonly offset: number;

  /**
   * @param message What is wrong, ending with where.
   * @param offset The byte offset.
   * @param options The error that revealed it (a JSON or gzip error), as `cause`.
   */
  constructor(message: string, offset: number, options?: ErrorOptions) {
    super(message, options);
    this.offset = offset;
  }
}

/** The `snapshot.meta` of a heap snapshot: how to read its flat arrays. */
export interface HeapSnapshotMeta {
  node_fields: string[];
  node_types: unknown[];
  edge_fields: string[];
  edge_types: unknown[];
  location_fields?: string[];
  [field: string]: unknown;
}

/** The `snapshot` header of a heap snapshot. */
export interface HeapSnapshotHeader {
  meta: HeapSnapshotMeta;
  node_count: number;
  edge_count: number;
  trace_function_count?: number;
  extra_native_bytes?: number;
  [field: string]: unknown;
}

/** The parsed arrays of a snapshot, laid out as in the file. */
export interface RawHeapSnapshot {
  header: HeapSnapshotHeader;
  /** Every node field except `self_size`, `node_fields.length` per node (`self_size` reads 0 here). */
  nodes: Uint32Array;
  /** Each node's `self_size`, exact beyond 2^32. */
  selfSizes: Float64Array;
  /** Every edge field, `edge_fields.length` per edge; `to_node` is an offset into `nodes`. */
  edges: Uint32Array;
  /** The strings table. */
  strings: string[];
  /** The locations array (`location_fields.length` per location), empty if absent. */
  locations: Uint32Array;
}

/** Options of {@linkcode HeapSnapshotParser}. */
export interface ParserOptions {
  /** Called after each chunk with the number of bytes read so far. */
  onProgress?: (bytesRead: number) => void;
}

const enum State {
  ExpectTopLevel,
  ExpectKey,
  InKey,
  ExpectColon,
  ExpectValue,
  Capture,
  Skip,
  Numbers,
  Strings,
  InString,
  Done,
}

type NumberTarget = "nodes" | "edges" | "locations";

const CHAR_QUOTE = 0x22;
const CHAR_BACKSLASH = 0x5c;
const CHAR_COMMA = 0x2c;
const CHAR_COLON = 0x3a;
const CHAR_OPEN_BRACE = 0x7b;
const CHAR_CLOSE_BRACE = 0x7d;
const CHAR_OPEN_BRACKET = 0x5b;
const CHAR_CLOSE_BRACKET = 0x5d;
const CHAR_0 = 0x30;
const MAX_U32 = 0xffff_ffff;

/** Stands for "no typed array" when scanning locations, so the scanning loop stays monomorphic. */
const SCRATCH = new Uint32Array(0);

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Parses a V8 heap snapshot pushed in chunks of bytes. Field layouts come from the file's own
 * `meta`; arrays are preallocated from the header's counts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { HeapSnapshotParser } from "./parser.ts";
 * const parser = new HeapSnapshotParser();
 * parser.write(new TextEncoder().encode(`{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count"],`));
 * parser.write(new TextEncoder().encode(`"node_types":[["synthetic"]],"edge_fields":["type","name_or_index","to_node"],"edge_types":[["element"]]},`));
 * parser.write(new TextEncoder().encode(`"node_count":1,"edge_count":0},"nodes":[0,0,1,0,0],"edges":[],"strings":[""]}`));
 * assert(parser.close().nodes.length === 5);
 * ```
 */
export class HeapSnapshotParser {
  #options: ParserOptions;
  #state = State.ExpectTopLevel;
  #offset = 0;
  #bomBytes = 0;
  #key = "";
  #keyBytes: number[] = [];
  // Capture and skip of generic JSON values.
  #depth = 0;
  #inString = false;
  #escaped = false;
  #captured: Uint8Array[] = [];
  // Number arrays.
  #target: NumberTarget = "nodes";
  #number = 0;
  #inNumber = false;
  #expectNumber = true;
  #filled = 0;
  #filledNodes = 0;
  #filledEdges = 0;
  #header: HeapSnapshotHeader | undefined;
  #nodeFieldCount = 0;
  #selfSizeColumn = -1;
  #nodes = new Uint32Array(0);
  #selfSizes = new Float64Array(0);
  #edges = new Uint32Array(0);
  #locations: number[] = [];
  // Strings.
  #strings: string[] = [];
  #stringParts: Uint8Array[] = [];
  #stringHasEscape = false;
  #stringIsAscii = true;
  #seen = new Set<string>();

  /** @param options Progress reporting. */
  constructor(options: ParserOptions = {}) {
    this.#options = options;
  }

  /**
   * Parses the next chunk of the file.
   *
   * @throws {HeapSnapshotSyntaxError} As soon as the bytes cannot be a heap snapshot.
   */
  write(chunk: Uint8Array): void {
    let i = 0;
    const length = chunk.length;
    while (i < length) {
      switch (this.#state) {
        case State.ExpectTopLevel: {
          const byte = chunk[i]!;
          const at = this.#offset + i;
          if (at < UTF8_BOM.length && at === this.#bomBytes && byte === UTF8_BOM[at]) {
            this.#bomBytes++; // a UTF-8 byte-order mark, as some editors and tools write it
          } else if (byte === CHAR_OPEN_BRACE) this.#state = State.ExpectKey;
          else if (!isSpace(byte)) this.#fail(describeStart(chunk.subarray(i), at), i);
          i++;
          break;
        }
        case State.ExpectKey: {
          const byte = chunk[i]!;
          if (byte === CHAR_QUOTE) {
            this.#state = State.InKey;
            this.#keyBytes = [];
          } else if (byte === CHAR_CLOSE_BRACE) {
            this.#state = State.Done;
          } else if (byte !== CHAR_COMMA && !isSpace(byte)) {
            this.#fail("expected a key", i);
          }
          i++;
          break;
        }
        case State.InKey: {
          const byte = chunk[i]!;
          if (byte === CHAR_QUOTE) {
            this.#key = String.fromCharCode(...this.#keyBytes);
            this.#state = State.ExpectColon;
          } else if (byte === CHAR_BACKSLASH || this.#keyBytes.length > 64) {
            this.#fail("unexpected top-level key", i);
          } else {
            this.#keyBytes.push(byte);
          }
          i++;
          break;
        }
        case State.ExpectColon: {
          const byte = chunk[i]!;
          if (byte === CHAR_COLON) this.#state = State.ExpectValue;
          else if (!isSpace(byte)) this.#fail(`expected ':' after "${this.#key}"`, i);
          i++;
          break;
        }
        case State.ExpectValue: {
          const byte = chunk[i]!;
          if (isSpace(byte)) {
            i++;
            break;
          }
          if (this.#beginValue(byte, i)) i++;
          break;
        }
        case State.Capture:
        case State.Skip:
          i = this.#scanValue(chunk, i);
          break;
        case State.Numbers:
          i = this.#scanNumbers(chunk, i);
          break;
        case State.Strings: {
          const byte = chunk[i]!;
          if (byte === CHAR_QUOTE) {
            this.#state = State.InString;
            this.#escaped = false;
            this.#stringParts = [];
            this.#stringHasEscape = false;
            this.#stringIsAscii = true;
          } else if (byte === CHAR_CLOSE_BRACKET) {
            this.#state = State.ExpectKey;
          } else if (byte !== CHAR_COMMA && !isSpace(byte)) {
            this.#fail(`"strings" holds something other than a string`, i);
          }
          i++;
          break;
        }
        case State.InString:
          i = this.#scanString(chunk, i);
          break;
        case State.Done: {
          if (!isSpace(chunk[i]!)) this.#fail("unexpected data after the snapshot", i);
          i++;
          break;
        }
      }
    }
    this.#offset += length;
    this.#options.onProgress?.(this.#offset);
  }

  /**
   * Ends the input and returns the parsed snapshot, after checking that its parts agree.
   *
   * @throws {HeapSnapshotSyntaxError} If the input ended early or its counts or references disagree.
   */
  close(): RawHeapSnapshot {
    if (this.#state !== State.Done) {
      const where = this.#key ? ` in "${this.#key}"` : "";
      throw new HeapSnapshotSyntaxError(
        `Cannot parse heap snapshot: the input ends early${where} at byte ${this.#offset}`,
        this.#offset,
      );
    }
    const header = this.#header;
    if (!header) this.#fail(`no "snapshot" header`, 0);
    for (const [name, array] of [["nodes", this.#nodes], ["edges", this.#edges]] as const) {
      if (!this.#seen.has(name)) this.#fail(`no "${name}" array`, 0);
      const filled = name === "nodes" ? this.#filledNodes : this.#filledEdges;
      if (filled !== array.length) {
        const fields = name === "nodes" ? this.#nodeFieldCount : header.meta.edge_fields.length;
        const count = name === "nodes" ? "node_count" : "edge_count";
        this.#fail(
          `"${name}" holds ${filled} numbers, but ${count} ${
            header[count]
          } needs ${array.length} (${fields} per ${name.slice(0, -1)})`,
          0,
        );
      }
    }
    const raw: RawHeapSnapshot = {
      header,
      nodes: this.#nodes,
      selfSizes: this.#selfSizes,
      edges: this.#edges,
      strings: this.#strings,
      locations: Uint32Array.from(this.#locations),
    };
    validate(raw, this.#offset);
    return raw;
  }

  #fail(problem: string, index: number, cause?: unknown): never {
    const offset = this.#offset + index;
    throw new HeapSnapshotSyntaxError(
      `Cannot parse heap snapshot: ${problem} at byte ${offset}`,
      offset,
      cause === undefined ? undefined : { cause },
    );
  }

  /** Starts reading the value of the current key; returns whether `byte` was consumed. */
  #beginValue(byte: number, index: number): boolean {
    const key = this.#key;
    if (this.#seen.has(key)) this.#fail(`"${key}" appears twice`, index);
    this.#seen.add(key);
    if (key === "nodes" || key === "edges" || key === "locations") {
      if (byte !== CHAR_OPEN_BRACKET) this.#fail(`"${key}" is not an array`, index);
      this.#startNumbers(key, index);
      return true;
    }
    if (key === "strings") {
      if (byte !== CHAR_OPEN_BRACKET) this.#fail(`"strings" is not an array`, index);
      this.#state = State.Strings;
      return true;
    }
    this.#state = key === "snapshot" ? State.Capture : State.Skip;
    this.#captured = [];
    this.#depth = 0;
    this.#inString = false;
    this.#escaped = false;
    return false;
  }

  #startNumbers(target: NumberTarget, index: number): void {
    const header = this.#header;
    if (!header && target !== "locations") {
      this.#fail(`"${target}" comes before the "snapshot" header`, index);
    }
    this.#target = target;
    this.#filled = 0;
    this.#inNumber = false;
    this.#expectNumber = true;
    this.#number = 0;
    this.#state = State.Numbers;
  }

  /**
   * Scans a generic JSON value (captured for the header, skipped otherwise) from `start`. An
   * object or array ends with its closing bracket; a scalar ends before the `,` or `}` after it.
   */
  #scanValue(chunk: Uint8Array, start: number): number {
    const length = chunk.length;
    let depth = this.#depth;
    let inString = this.#inString;
    let escaped = this.#escaped;
    for (let i = start; i < length; i++) {
      const byte = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === CHAR_BACKSLASH) escaped = true;
        else if (byte === CHAR_QUOTE) inString = false;
        continue;
      }
      let end = -1;
      if (byte === CHAR_QUOTE) inString = true;
      else if (byte === CHAR_OPEN_BRACE || byte === CHAR_OPEN_BRACKET) depth++;
      else if (byte === CHAR_CLOSE_BRACE || byte === CHAR_CLOSE_BRACKET) {
        if (depth === 0) end = i;
        else if (--depth === 0) end = i + 1;
      } else if (byte === CHAR_COMMA && depth === 0) end = i;
      if (end >= 0) {
        if (this.#state === State.Capture) this.#captured.push(chunk.slice(start, end));
        this.#endValue(end);
        return end;
      }
    }
    if (this.#state === State.Capture) this.#captured.push(chunk.slice(start));
    this.#depth = depth;
    this.#inString = inString;
    this.#escaped = escaped;
    return length;
  }

  #endValue(index: number): void {
    if (this.#state === State.Capture) this.#readHeader(index);
    this.#state = State.ExpectKey;
  }

  #readHeader(index: number): void {
    const bytes = concat(this.#captured);
    this.#captured = [];
    let header: HeapSnapshotHeader;
    try {
      header = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      this.#fail(`the "snapshot" header is not JSON (${(error as Error).message})`, index, error);
    }
    const meta = header?.meta;
    if (
      !meta || !Array.isArray(meta.node_fields) || !Array.isArray(meta.edge_fields) ||
      !Array.isArray(meta.node_types) || !Array.isArray(meta.edge_types)
    ) {
      this.#fail(`the "snapshot" header has no usable "meta"`, index);
    }
    for (const count of ["node_count", "edge_count"] as const) {
      const value = header[count];
      if (!Number.isSafeInteger(value) || value < 0) {
        this.#fail(`the header's ${count} is not a count`, index);
      }
    }
    if (header.node_count === 0) {
      this.#fail("the header's node_count is 0, but a snapshot holds at least its root", index);
    }
    for (const field of ["type", "name", "id", "self_size", "edge_count"]) {
      if (!meta.node_fields.includes(field)) {
        this.#fail(`meta.node_fields has no "${field}"`, index);
      }
    }
    for (const field of ["type", "name_or_index", "to_node"]) {
      if (!meta.edge_fields.includes(field)) {
        this.#fail(`meta.edge_fields has no "${field}"`, index);
      }
    }
    this.#header = header;
    this.#nodeFieldCount = meta.node_fields.length;
    this.#selfSizeColumn = meta.node_fields.indexOf("self_size");
    try {
      this.#nodes = new Uint32Array(header.node_count * this.#nodeFieldCount);
      this.#selfSizes = new Float64Array(header.node_count);
      this.#edges = new Uint32Array(header.edge_count * meta.edge_fields.length);
    } catch (error) {
      this.#fail(`the header's counts are too large (${(error as Error).message})`, index, error);
    }
  }

  /** Scans unsigned integers of a flat array from `start`. */
  #scanNumbers(chunk: Uint8Array, start: number): number {
    const length = chunk.length;
    const target = this.#target;
    const nodes = target === "nodes";
    // Locations are few: they go to a plain array; nodes and edges to their typed arrays.
    const array = nodes ? this.#nodes : target === "edges" ? this.#edges : SCRATCH;
    const capacity = target === "locations" ? Infinity : array.length;
    const fieldCount = nodes ? this.#nodeFieldCount : 1;
    const selfSizeColumn = nodes ? this.#selfSizeColumn : -1;
    const selfSizes = this.#selfSizes;
    let filled = this.#filled;
    let number = this.#number;
    let inNumber = this.#inNumber;
    let expectNumber = this.#expectNumber;
    // The column of the next number within its node, and that node's ordinal, kept by counting.
    let column = nodes ? filled % fieldCount : 0;
    let node = nodes ? (filled - column) / fieldCount : 0;
    let i = start;
    for (; i < length; i++) {
      const byte = chunk[i]!;
      const digit = byte - CHAR_0;
      if (digit >= 0 && digit <= 9) {
        number = number * 10 + digit;
        inNumber = true;
        continue;
      }
      if (inNumber) {
        if (column === selfSizeColumn) {
          if (filled >= capacity || !Number.isSafeInteger(number)) {
            this.#badNumber(number, i, capacity, filled);
          }
          selfSizes[node] = number;
        } else if (filled >= capacity || number > MAX_U32) {
          this.#badNumber(number, i, capacity, filled);
        } else if (array === SCRATCH) {
          this.#locations.push(number);
        } else {
          array[filled] = number;
        }
        filled++;
        if (++column === fieldCount) {
          column = 0;
          node++;
        }
        number = 0;
        inNumber = false;
        expectNumber = false;
      }
      if (byte === CHAR_COMMA) {
        if (expectNumber) this.#fail(`a missing number in "${target}"`, i);
        expectNumber = true;
      } else if (byte === CHAR_CLOSE_BRACKET) {
        if (expectNumber && filled > 0) this.#fail(`a missing number in "${target}"`, i);
        this.#state = State.ExpectKey;
        i++;
        break;
      } else if (!isSpace(byte)) {
        this.#fail(`unexpected character '${String.fromCharCode(byte)}' in "${target}"`, i);
      }
    }
    if (nodes) this.#filledNodes = filled;
    else if (target === "edges") this.#filledEdges = filled;
    this.#filled = filled;
    this.#number = number;
    this.#inNumber = inNumber;
    this.#expectNumber = expectNumber;
    return i;
  }

  #badNumber(number: number, index: number, capacity: number, filled: number): never {
    const target = this.#target;
    if (filled >= capacity) {
      const count = target === "nodes"
        ? `node_count ${this.#header!.node_count} (${capacity} numbers)`
        : `edge_count ${this.#header!.edge_count} (${capacity} numbers)`;
      this.#fail(`"${target}" has more numbers than the header's ${count}`, index);
    }
    if (!Number.isSafeInteger(number)) this.#fail(`a number in "${target}" is too large`, index);
    this.#fail(`a number in "${target}" is over 2^32`, index);
  }

  /** Scans the body of one string of the strings table from `start`. */
  #scanString(chunk: Uint8Array, start: number): number {
    const length = chunk.length;
    let escaped = this.#escaped;
    let hasEscape = this.#stringHasEscape;
    let ascii = this.#stringIsAscii;
    for (let i = start; i < length; i++) {
      const byte = chunk[i]!;
      if (escaped) {
        escaped = false;
        continue;
      }
      if (byte === CHAR_BACKSLASH) {
        escaped = hasEscape = true;
      } else if (byte === CHAR_QUOTE) {
        const parts = this.#stringParts;
        parts.push(chunk.subarray(start, i));
        this.#strings.push(
          this.#decodeString(parts.length === 1 ? parts[0]! : concat(parts), hasEscape, ascii, i),
        );
        this.#stringParts = [];
        this.#escaped = false;
        this.#state = State.Strings;
        return i + 1;
      } else if (byte >= 0x80) {
        ascii = false;
      } else if (byte < 0x20) {
        this.#fail("a control character inside a string", i);
      }
    }
    this.#stringParts.push(chunk.slice(start));
    this.#escaped = escaped;
    this.#stringHasEscape = hasEscape;
    this.#stringIsAscii = ascii;
    return length;
  }

  #decodeString(bytes: Uint8Array, hasEscape: boolean, ascii: boolean, index: number): string {
    const text = ascii && bytes.length <= 1024
      ? String.fromCharCode.apply(null, bytes as unknown as number[])
      : utf8.decode(bytes);
    if (!hasEscape) return text;
    try {
      return JSON.parse(`"${text}"`);
    } catch (error) {
      this.#fail("a bad escape in a string", index, error);
    }
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Why input that does not start with `{` is no snapshot, naming what it looks like.
 *
 * @param start The bytes from the first one that is not JSON's.
 * @param offset Where they start in the input.
 */
function describeStart(start: Uint8Array, offset: number): string {
  const [first = 0, second = 0] = start;
  const found = offset === 0 ? "the input" : `byte ${offset}`;
  if ((first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff)) {
    return `${found} is UTF-16 text, but a heap snapshot is UTF-8 JSON (convert it with iconv -f UTF-16 -t UTF-8)`;
  }
  if (first === 0x1f && second === 0x8b) {
    return `${found} is gzip-compressed: read the file with readHeapSnapshot(), which unpacks it`;
  }
  if (first === 0x50 && second === 0x4b) return `${found} is a zip archive: unzip it first`;
  const excerpt = start.subarray(0, 24);
  if (excerpt.some((byte) => byte === 0 || (byte < 0x20 && !isSpace(byte)))) {
    return `expected '{' at the start, found binary data`;
  }
  return `expected '{' at the start, found ${JSON.stringify(new TextDecoder().decode(excerpt))}`;
}

/** UTF-8 that keeps a leading U+FEFF: it is a character of the string, not a byte-order mark. */
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

/** Checks that every reference in the snapshot points inside it. */
function validate(raw: RawHeapSnapshot, offset: number): void {
  const { meta } = raw.header;
  const nodeFieldCount = meta.node_fields.length;
  const edgeFieldCount = meta.edge_fields.length;
  const fail = (problem: string): never => {
    throw new HeapSnapshotSyntaxError(
      `Cannot parse heap snapshot: ${problem} (input of ${offset} bytes)`,
      offset,
    );
  };
  // `node_types[i]` describes the column `node_fields[i]`: the type column's entry lists the types.
  const typeColumn = meta.node_fields.indexOf("type");
  const nodeTypes = meta.node_types[typeColumn];
  const edgeTypes = meta.edge_types[meta.edge_fields.indexOf("type")];
  const nodeTypeCount = Array.isArray(nodeTypes) ? nodeTypes.length : Infinity;
  const edgeTypeNames = Array.isArray(edgeTypes) ? edgeTypes as string[] : [];
  const nameColumn = meta.node_fields.indexOf("name");
  const edgeCountColumn = meta.node_fields.indexOf("edge_count");
  const stringCount = raw.strings.length;
  let edgesClaimed = 0;
  for (let node = 0; node < raw.nodes.length; node += nodeFieldCount) {
    if (raw.nodes[node + typeColumn]! >= nodeTypeCount) {
      fail(`node ${node / nodeFieldCount} has an unknown type`);
    }
    if (raw.nodes[node + nameColumn]! >= stringCount) {
      fail(`node ${node / nodeFieldCount} names a missing string`);
    }
    edgesClaimed += raw.nodes[node + edgeCountColumn]!;
  }
  if (edgesClaimed * edgeFieldCount !== raw.edges.length) {
    fail(
      `the nodes' edge counts add up to ${edgesClaimed}, edge_count says ${
        raw.edges.length / edgeFieldCount
      }`,
    );
  }
  const typeField = meta.edge_fields.indexOf("type");
  const nameField = meta.edge_fields.indexOf("name_or_index");
  const toField = meta.edge_fields.indexOf("to_node");
  const numericNames = new Set(["element", "hidden"].map((name) => edgeTypeNames.indexOf(name)));
  const edgeTypeCount = edgeTypeNames.length || Infinity;
  for (let edge = 0; edge < raw.edges.length; edge += edgeFieldCount) {
    const type = raw.edges[edge + typeField]!;
    const to = raw.edges[edge + toField]!;
    if (type >= edgeTypeCount) fail(`edge ${edge / edgeFieldCount} has an unknown type`);
    if (to % nodeFieldCount !== 0 || to >= raw.nodes.length) {
      fail(`edge ${edge / edgeFieldCount} points past the nodes`);
    }
    if (!numericNames.has(type) && raw.edges[edge + nameField]! >= stringCount) {
      fail(`edge ${edge / edgeFieldCount} names a missing string`);
    }
  }
}
