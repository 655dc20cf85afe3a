import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { expectedRuntime, nodeExecutable, repoRoot } from "./_support/runtime.ts";

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 180_000 });
  assert.equal(
    result.status,
    0,
    `${command} ${args.join(" ")}: ${result.stdout}${result.stderr}${result.error ?? ""}`,
  );
  return result;
}

test(
  "npm pack makes a package that installs into an empty directory and works on Node, Bun and Deno",
  {
    // One pack and install checks all three runtimes: it runs in the Node pass of the suite.
    skip: expectedRuntime !== undefined && expectedRuntime !== "node"
      ? "packed and checked on all three runtimes once, in the Node pass"
      : false,
  },
  () => {
    assert.ok(existsSync(join(repoRoot, "dist/cli.js")), "dist/ is missing: run `deno task build`");
    const work = mkdtempSync(join(tmpdir(), "heapler-pack-"));
    try {
      const node = nodeExecutable();
      // dist/ is built by the suite's first step; --ignore-scripts packs it as it is.
      run("npm", ["pack", "--ignore-scripts", "--pack-destination", work, repoRoot], work);
      const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"))!;
      const app = join(work, "app");
      mkdirSync(app);
      writeFileSync(
        join(app, "package.json"),
        JSON.stringify({ name: "app", private: true, type: "module" }),
      );
      run(
        "npm",
        ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, tarball)],
        app,
      );

      const help = run("npm", ["exec", "--", "heapler", "--help"], app).stdout;
      assert.match(help, /^heapler \d+\.\d+\.\d+: Pympler for JavaScript/);
      const script = `import { asizeof } from "heapler"; const size = asizeof({ a: [1, 2, 3] }); ` +
        `if (!(size > 0)) throw new Error("size " + size); console.log("size " + size);`;
      const bin = (name: string) => join(repoRoot, "node_modules", ".bin", name);
      assert.match(run(node, ["--input-type=module", "-e", script], app).stdout, /^size \d+/);
      assert.match(run(bin("bun"), ["-e", script], app).stdout, /^size \d+/);
      const denoScript = script.replace('"heapler"', '"npm:heapler"');
      assert.match(run(bin("deno"), ["eval", denoScript], app).stdout, /^size \d+/);
      assert.ok(existsSync(join(app, "node_modules/heapler/LICENSE")), "the licence ships");
      // Types resolve for TypeScript users under every module resolution, wrapNode's inline
      // listener included.
      writeFileSync(
        join(app, "app.ts"),
        `import { asizeof } from "heapler";\nimport { MemoryMiddleware } from "heapler/web";\n` +
          `import { createServer } from "node:http";\nconst size: number = asizeof({});\n` +
          `createServer(new MemoryMiddleware().wrapNode((req, res) => res.end(String(size))));\n`,
      );
      for (
        const [module, moduleResolution] of [["commonjs", "node"], ["esnext", "bundler"], [
          "nodenext",
          "nodenext",
        ]]
      ) {
        const compilerOptions = {
          strict: true,
          module,
          moduleResolution,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
          typeRoots: [join(repoRoot, "node_modules/@types")],
        };
        writeFileSync(
          join(app, "tsconfig.json"),
          JSON.stringify({ compilerOptions, files: ["app.ts"] }),
        );
        run(node, [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], app);
      }
      // require(): Node 22.12 and later load the ES module; older Nodes say what to do instead.
      const required = spawnSync(node, ["-e", 'require("heapler/sizeof")'], {
        cwd: app,
        encoding: "utf8",
      });
      if (required.status !== 0) {
        assert.match(required.stderr, /heapler is an ES module.*import\("heapler\/sizeof"\)/);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
);
