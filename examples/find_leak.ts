/**
 * Tutorial: tracking down a leak, as Pympler's leak tutorial does, in three questions.
 *
 * The server below caches a rendered page per request "for a retry", keyed by request id, and
 * never evicts: every request's page and session stay alive. We find that out without reading
 * its code:
 *
 * 1. Is there a leak? A SummaryTracker diff after each batch of requests: a type that grows by
 *    the same amount every time is the suspect; an idle batch diffs to (nearly) nothing.
 * 2. What leaks? A ClassTracker, finding the suspect's instances in snapshots, shows how many
 *    live and how much they hold.
 * 3. Where does it leak? A ConsoleBrowser prints what holds one of them, up to a root.
 *
 *   npx deno run -A examples/find_leak.ts
 *   npx bun examples/find_leak.ts
 *
 * @module
 */
import process from "node:process";
import { ClassTracker } from "heapler/classtracker";
import { ConsoleBrowser } from "heapler/refbrowser";
import { SummaryTracker } from "heapler/tracker";

/** What the server knows of a signed-in user. */
class Session {
  constructor(readonly user: string, readonly roles: string[]) {}
}

/** A rendered page. */
class RenderedPage {
  constructor(readonly session: Session, readonly html: string) {}
}

/** Kept "for a retry", never evicted: the leak. */
const retryCache: Record<string, RenderedPage> = {};

function handle(id: number): string {
  const session = new Session(`user${id % 50}`, ["reader"]);
  const page = new RenderedPage(session, `<main>item ${id}</main>`);
  retryCache[`req-${id}`] = page;
  return page.html;
}

/**
 * Walks the three questions, printing what each tool says.
 *
 * @param write Where the walkthrough goes.
 */
export async function main(
  write: (text: string) => void = (text) => void process.stdout.write(text),
): Promise<void> {
  for (let id = 0; id < 20; id++) handle(id); // warm up
  write("1. Is there a leak?\n");
  const summaries = new SummaryTracker();
  let id = 1000;
  for (let batch = 1; batch <= 3; batch++) {
    for (let i = 0; i < 100; i++) handle(id++);
    const lines = await summaries.formatDiff();
    write(`after batch ${batch} of 100 requests:\n${lines.join("\n")}\n`);
  }
  write("\n2. What leaks?\n");
  const classes = new ClassTracker({ stream: { write } });
  classes.trackClass(RenderedPage, { discover: true });
  classes.trackClass(Session, { discover: true });
  await classes.createSnapshot("now");
  for (let i = 0; i < 100; i++) handle(id++);
  await classes.createSnapshot("100 requests later");
  classes.stats.printSummary();
  write("\n3. Where does it leak?\n");
  const someLeakedPage = retryCache[`req-${id - 1}`];
  await new ConsoleBrowser(someLeakedPage, { maxdepth: 3, stream: { write } }).printTree();
}

if (import.meta.main) await main();
