import { pp } from "../format/mod.ts";
import { engineMemory, processResources } from "../runtime/mod.ts";
import { pid, type ProcRead, readProcFile } from "../runtime/internal.ts";

/** The fields of {@linkcode ProcessMemoryInfo} that hold a reading in bytes or a count. */
export type ProcessMemoryField =
  | "vsz"
  | "rss"
  | "pagefaults"
  | "dataSegment"
  | "codeSegment"
  | "sharedSegment"
  | "stackSegment"
  | "heapTotal"
  | "heapUsed"
  | "external"
  | "arrayBuffers";

/** Pympler's labels for the `Vm*` lines of `/proc/self/status`, in its order. */
const STATUS_LABELS: ReadonlyArray<readonly [string, string]> = [
  ["VmPeak", "Peak virtual memory size"],
  ["VmSize", "Virtual memory size"],
  ["VmLck", "Locked memory size"],
  ["VmHWM", "Peak resident set size"],
  ["VmRSS", "Resident set size"],
  ["VmStk", "Size of stack segment"],
  ["VmData", "Size of data segment"],
  ["VmExe", "Size of code segment"],
  ["VmLib", "Shared library code size"],
  ["VmPTE", "Page table entries size"],
];

/** Human labels of every field, for tables. */
export const FIELD_LABELS: Readonly<Record<ProcessMemoryField, string>> = {
  vsz: "Virtual size",
  rss: "Resident set size",
  pagefaults: "Major pagefaults",
  dataSegment: "Size of data segment",
  codeSegment: "Size of code segment",
  sharedSegment: "Shared library code size",
  stackSegment: "Size of stack segment",
  heapTotal: "JS heap total",
  heapUsed: "JS heap used",
  external: "External memory",
  arrayBuffers: "ArrayBuffer memory",
};

/**
 * Process-level memory figures, as Pympler's `ProcessMemoryInfo`: virtual size, resident set
 * size, major page faults and the segments (from `/proc/self/stat` and `/proc/self/status` on
 * Linux), plus the engine's own heap figures. A figure that could not be read is `undefined`
 * and named in {@linkcode ProcessMemoryInfo.unknown}, never a 0 pretending to be a reading.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ProcessMemoryInfo } from "heapler/process";
 * const info = new ProcessMemoryInfo();
 * assert((info.rss ?? 0) > 0);
 * ```
 */
export class ProcessMemoryInfo {
  /** The process id. */
  readonly pid: number = pid;
  /** Virtual memory size in bytes. */
  vsz: number | undefined;
  /** Resident set size in bytes. */
  rss: number | undefined;
  /** Major page faults so far. */
  pagefaults: number | undefined;
  /** Bytes of the data segment (`VmData`). */
  dataSegment: number | undefined;
  /** Bytes of the code segment (`VmExe`). */
  codeSegment: number | undefined;
  /** Bytes of shared library code (`VmLib`). */
  sharedSegment: number | undefined;
  /** Bytes of the stack segment (`VmStk`). */
  stackSegment: number | undefined;
  /** Bytes the engine reserved for the JS heap. */
  heapTotal: number | undefined;
  /** Bytes of the JS heap in use. */
  heapUsed: number | undefined;
  /** Bytes held outside the JS heap by JS objects (buffers, native objects). */
  external: number | undefined;
  /** Bytes of ArrayBuffer backing stores. */
  arrayBuffers: number | undefined;
  /** The operating system's own figures as `[label, formatted size]`, e.g. the `Vm*` lines. */
  osSpecific: [string, string][] = [];
  /** Bytes per memory page, where known. */
  pagesize: number | undefined;
  /** Whether `/proc` could be read, so every field has a reading. */
  available = false;
  /** The fields without a reading. */
  unknown: ProcessMemoryField[] = [];
  /** Why some fields have no reading, when some do not. */
  reason: string | undefined;

  constructor() {
    this.update();
  }

  /**
   * Reads every figure again.
   *
   * @returns Whether it got real values (at least the resident set size).
   */
  update(): boolean {
    Object.assign(this, engineMemory());
    const stat = readProcText("stat");
    const status = readProcText("status");
    if ("text" in stat && "text" in status) {
      this.#readProc(stat.text, status.text);
      this.available = true;
      this.reason = undefined;
    } else {
      const resources = processResources();
      this.rss = resources.rss;
      this.pagefaults = resources.majorPageFaults;
      this.vsz =
        this.dataSegment =
        this.codeSegment =
        this.sharedSegment =
        this.stackSegment =
          undefined;
      this.osSpecific = [];
      this.available = false;
      this.reason = "error" in stat ? stat.error : "error" in status ? status.error : undefined;
    }
    this.unknown = (Object.keys(FIELD_LABELS) as ProcessMemoryField[]).filter((field) =>
      this[field] === undefined
    );
    return this.rss !== undefined;
  }

  #readProc(stat: string, status: string): void {
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after the command name start at stat(5)'s third field: index k of stat is fields[k - 2].
    this.pagesize ??= pageSize();
    this.pagefaults = numberAt(fields, 11 - 2);
    this.vsz = numberAt(fields, 22 - 2);
    const rssPages = numberAt(fields, 23 - 2);
    this.rss = rssPages === undefined || this.pagesize === undefined
      ? undefined
      : rssPages * this.pagesize;
    const vm = parseStatus(status);
    this.dataSegment = vm.get("VmData");
    this.codeSegment = vm.get("VmExe");
    this.sharedSegment = vm.get("VmLib");
    this.stackSegment = vm.get("VmStk");
    this.osSpecific = STATUS_LABELS.flatMap(([key, label]) => {
      const bytes = vm.get(key);
      return bytes === undefined ? [] : [[label, pp(bytes)] as [string, string]];
    });
  }

  /**
   * The change from `other` to this reading, as Pympler's `__sub__`.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { ProcessMemoryInfo } from "heapler/process";
   * const before = new ProcessMemoryInfo();
   * const deltas = new ProcessMemoryInfo().minus(before);
   * assert(deltas[0]?.[0] === "Resident set size (delta)");
   * ```
   */
  minus(other: ProcessMemoryInfo): [string, number | undefined][] {
    return [
      ["Resident set size (delta)", difference(this.rss, other.rss)],
      ["Virtual size (delta)", difference(this.vsz, other.vsz)],
    ];
  }

  /** The readings as plain data, for JSON. */
  toJSON(): Record<string, unknown> {
    const readings: Record<string, unknown> = { pid: this.pid };
    for (const field of Object.keys(FIELD_LABELS) as ProcessMemoryField[]) {
      readings[field] = this[field] ?? null;
    }
    return {
      ...readings,
      pagesize: this.pagesize ?? null,
      available: this.available,
      unknown: this.unknown,
      reason: this.reason ?? null,
    };
  }

  /** `<ProcessMemoryInfo vsz=… rss=…>`. */
  toString(): string {
    return `<ProcessMemoryInfo vsz=${this.vsz ?? "unknown"} rss=${this.rss ?? "unknown"}>`;
  }
}

/**
 * Whether process memory figures can be read on this platform and runtime.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isAvailable } from "./internal.ts";
 * assert(typeof isAvailable() === "boolean");
 * ```
 */
export function isAvailable(): boolean {
  return new ProcessMemoryInfo().available;
}

function readProcText(name: string): { text: string } | { error: string } {
  const read: ProcRead = readProcFile(name);
  return "bytes" in read ? { text: new TextDecoder().decode(read.bytes) } : read;
}

/** `Vm*` lines of `/proc/self/status` in bytes; malformed lines are skipped. */
export function parseStatus(status: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of status.split("\n")) {
    const match = /^(\w+):\s+(\d+)\s*kB\s*$/.exec(line);
    if (match?.[1] && match[2]) values.set(match[1], Number(match[2]) * 1024);
  }
  return values;
}

/** The page size from the auxiliary vector (`AT_PAGESZ`), the kernel's own figure. */
function pageSize(): number | undefined {
  const read = readProcFile("auxv");
  if (!("bytes" in read)) return undefined;
  const view = new DataView(read.bytes.buffer, read.bytes.byteOffset, read.bytes.byteLength);
  const AT_PAGESZ = 6n;
  for (let offset = 0; offset + 16 <= view.byteLength; offset += 16) {
    if (view.getBigUint64(offset, true) === AT_PAGESZ) {
      return Number(view.getBigUint64(offset + 8, true));
    }
  }
  return undefined;
}

function numberAt(fields: readonly string[], index: number): number | undefined {
  const value = Number(fields[index]);
  return Number.isFinite(value) ? value : undefined;
}

function difference(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a - b;
}
