/**
 * What the test runner says the tests run on (HEAPLER_EXPECT_RUNTIME), for tests that check
 * detection or skip what a runtime cannot do, with the reason.
 *
 * @module
 */
import process from "node:process";

/** The runtime the runner started, or undefined when a test file is run by hand. */
export const expectedRuntime: string | undefined = process.env.HEAPLER_EXPECT_RUNTIME;

/** The root of the repository. */
export const repoRoot: string = new URL("../..", import.meta.url).pathname;
