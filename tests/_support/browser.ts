/**
 * Browser checks for the tests of every runtime: Node drives headless Chromium in a child process
 * (`browser_check.mjs`), so that no test process loads playwright itself.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { nodeExecutable, repoRoot } from "./runtime.ts";

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
}

/**
 * Opens each page in headless Chromium and reports what it saw.
 *
 * @param pages Absolute file paths, each with an optional screenshot path.
 * @returns One check per page.
 */
export function checkInBrowser(pages: { file: string; screenshot?: string }[]): PageCheck[] {
  const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    throw new Error(`no browser at ${chromium}: apt-get install chromium (as .ci/run does)`);
  }
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
