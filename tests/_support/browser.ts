/**
 * Browser checks for the tests of every runtime: Node drives headless Chromium in a child process
 * (`browser_check.mjs`), so that no test process loads playwright itself.
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { nodeExecutable, repoRoot } from "./runtime.ts";

/** Fails clearly when Debian's Chromium (or `$CHROMIUM`) is missing. */
function requireChromium(): void {
  const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    throw new Error(`no browser at ${chromium}: apt-get install chromium (as .ci/run does)`);
  }
}

/** What the browser saw of one page. */
export interface PageCheck {
  file: string;
  /** Console errors, page errors, dialogs, requests that left the disk, a failed load. */
  errors: string[];
  /** Per `svg.chart`, the `data-series` of its `.series` elements. */
  charts: string[][];
  /** How many `<svg>` elements the page shows. */
  svgs: number;
  /** The first `<svg>`'s box on screen. */
  box: { width: number; height: number } | null;
  /** How many `<img>` elements it has. */
  images: number;
  /** Its svgs' labels (see {@linkcode LabelGeometry}). */
  geometry: LabelGeometry;
}

/**
 * The labels of a page's svgs: how many, and (by their text) those outside their node's shape,
 * those overlapping another label of their svg, those their svg's bounds clip.
 */
export interface LabelGeometry {
  labels: number;
  outside: string[];
  overlaps: string[];
  clipped: string[];
}

/**
 * Opens each page in headless Chromium and reports what it saw.
 *
 * @param pages Absolute file paths, each with an optional screenshot path.
 * @returns One check per page.
 */
export function checkInBrowser(pages: { file: string; screenshot?: string }[]): PageCheck[] {
  requireChromium();
  const run = spawnSync(
    nodeExecutable(),
    [join(repoRoot, "tests", "_support", "browser_check.mjs"), JSON.stringify({ pages })],
    { encoding: "utf8", timeout: 120_000 },
  );
  if (run.status !== 0) {
    throw new Error(
      `the browser check failed (${run.status}): ${run.stderr || run.error?.message}`,
    );
  }
  return JSON.parse(run.stdout) as PageCheck[];
}

/** What the browser saw of the web front end (see `web_check.mjs`). */
export interface WebCheck {
  pages: Record<
    string,
    { errors: string[]; images: number; title?: string; geometry: LabelGeometry }
  >;
  live: { points: number; path: string | null };
  snapshot: { progress: string | null; rows: number; typeLink: number; sorted: boolean };
  insights: { sections: number; refLinks: number };
  refs: { levels: number[]; images: number };
  garbage: { groups: number; found: string | null; svgs: number; nodes: number } | null;
}

/**
 * Drives the web front end at `base` in headless Chromium, from a child process that runs while
 * this one keeps serving (so not `spawnSync`).
 *
 * @param scenario The server, where screenshots go, and what the test planted in the heap.
 * @returns What the browser saw.
 */
export function checkWebInBrowser(scenario: {
  base: string;
  output: string;
  runtime: string;
  /** A class with tracked instances whose largest one the referrer browser starts from. */
  type: string;
  /** A class on the cycle the garbage check should find. */
  cycle: string;
  /** Whether garbage groups can be found (not on Bun). */
  garbage: boolean;
}): Promise<WebCheck> {
  requireChromium();
  const child = spawn(
    nodeExecutable(),
    [join(repoRoot, "tests", "_support", "web_check.mjs"), JSON.stringify(scenario)],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => stdout += chunk);
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr += chunk);
  const timer = setTimeout(() => child.kill(), 180_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(stdout) as WebCheck);
      else reject(new Error(`the browser check failed (${code}): ${stderr}`));
    });
  });
}
