/**
 * `heapler demo`: Pympler's leak tutorial, walked on a built-in server that leaks (see
 * `leaky_app.ts`) in three steps — is there a leak, what leaks, where does it leak — with the
 * report files written to a directory.
 *
 * @module
 */
export { type DemoOptions, type DemoResult, runDemo } from "./demo.ts";
