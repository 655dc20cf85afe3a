/**
 * Tutorial: tracking class instances in a build system, as Pympler's SCons tutorial does.
 *
 * A tiny build tool reads a project description, makes a node per file and directory and an
 * executor per build step, and builds. A `ClassTracker` watches its classes: the decorator for
 * the classes the tool owns, snapshots at the tool's own milestones, the summary on the console,
 * the dump for later, and the HTML report.
 *
 *   npx deno run -A examples/build_system.ts [out dir]
 *   npx bun examples/build_system.ts [out dir]
 *
 * @module
 */
import { mkdir } from "node:fs/promises";
import process from "node:process";
import { ClassTracker, HtmlStats } from "heapler/classtracker";

const tracker = new ClassTracker();

/** A file or directory of the build. */
@tracker.decorate({ name: "Node.Base" })
class BaseNode {
  readonly dependencies: BaseNode[] = [];
  signature = "";
  constructor(readonly path: string) {}
}

/** A source or target file: it keeps its contents' signature and its build info. */
@tracker.decorate({ name: "Node.File", resolutionLevel: 1 })
class FileNode extends BaseNode {
  buildInfo: Record<string, string> = {};
}

/** A directory: it knows its entries. */
@tracker.decorate({ name: "Node.Dir" })
class DirNode extends BaseNode {
  readonly entries = new Map<string, BaseNode>();
}

/** One build step: the command and its inputs and outputs. */
@tracker.decorate({ name: "Executor" })
class Executor {
  constructor(
    readonly command: string,
    readonly sources: FileNode[],
    readonly targets: FileNode[],
  ) {}
}

/** Builds a project of `modules` directories with `files` sources each. */
function build(modules: number, files: number, milestone: (label: string) => Promise<void>) {
  return (async () => {
    await milestone("before reading the project");
    const root = new DirNode(".");
    const executors: Executor[] = [];
    for (let m = 0; m < modules; m++) {
      const dir = new DirNode(`src/module${m}`);
      root.entries.set(dir.path, dir);
      for (let f = 0; f < files; f++) {
        const source = new FileNode(`${dir.path}/file${f}.c`);
        const object = new FileNode(`${dir.path}/file${f}.o`);
        object.dependencies.push(source);
        dir.entries.set(source.path, source).set(object.path, object);
        executors.push(new Executor(`cc -c ${source.path}`, [source], [object]));
      }
    }
    await milestone("after reading the project");
    for (const executor of executors) {
      for (const target of executor.targets) {
        target.signature = `${executor.command.length.toString(16)}:${target.path}`;
        target.buildInfo = { command: executor.command, signature: target.signature };
      }
    }
    await milestone("after building targets");
    return { root, executors };
  })();
}

/**
 * Runs the build under the tracker, prints the summary and writes the dump and the report.
 *
 * @param out Where the dump and the report go.
 * @returns The report's and the dump's paths.
 */
export async function main(out = "heapler-tutorial"): Promise<string[]> {
  await mkdir(out, { recursive: true });
  const project = await build(8, 40, async (label) => void await tracker.createSnapshot(label));
  const stats = tracker.stats;
  stats.printSummary();
  const dump = `${out}/build.stats.json`;
  await stats.dumpStats(dump);
  // Later, or elsewhere: the dump becomes the HTML report (`heapler stats --html` does the same).
  const html = new HtmlStats();
  await html.loadStats(dump);
  const report = `${out}/build.html`;
  await html.createHtml(report, { title: "Build: tracked classes" });
  process.stdout.write(`${project.executors.length} build steps; wrote ${dump} and ${report}\n`);
  return [report, dump];
}

if (import.meta.main) await main(process.argv[2]);
