import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { hashStageCode, resolvePackageVersion } from "../../pipelines/hashing/code_hash.ts";
import { scanImports } from "../../pipelines/hashing/_scan_imports.ts";
import { sha256 } from "../../pipelines/hashing/sha256.ts";

/** Writes files under a temp dir and hashes the code reached from `roots`. */
async function hashFiles(files: Record<string, string>, roots: string[]) {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-code-" });
  try {
    for (const [name, text] of Object.entries(files)) {
      await Deno.mkdir(join(dir, name, ".."), { recursive: true });
      await Deno.writeTextFile(join(dir, name), text);
    }
    const code = await hashStageCode(roots.map((r) => pathToFileURL(join(dir, r))), {
      resolvePackage: (specifier) => {
        if (specifier === "missing-pkg") throw new Error("not a dependency");
        return `${specifier.replace(/^npm:/, "").replace(/@.*$/, "")}@1.0.0`;
      },
    });
    // Untracked reasons name absolute paths; keep them readable.
    return { ...code, untracked: code.untracked.map((u) => u.replaceAll(dir + "/", "")) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("hashStageCode() follows static and literal imports transitively, not type-only, bare, npm: or node: ones", async () => {
  const files = {
    "stage.ts": `import { z } from "zod";\nimport { a } from "./lib/a.ts";\n` +
      `export * from "./up/outside.ts";\nimport type {\n  B,\n} from './lib/b.ts';\n` +
      `const lazy = () => import("./lib/c.ts");\nimport "node:fs";\nimport "npm:x@1";\n` +
      `export { type T } from "./lib/t.ts";\nimport { type U, u } from "./lib/u.ts";\n`,
    "lib/a.ts": `export { c } from "./c.ts";\nexport const a = 1;\n`,
    "lib/b.ts": "export type B = number;\n",
    "lib/c.ts": "export const c = 2;\n",
    "lib/t.ts": "export type T = 1;\n",
    "lib/u.ts": "export type U = 1;\nexport const u = 1;\n",
    "up/outside.ts": "export const o = 3;\n",
  };
  const code = await hashFiles(files, ["stage.ts"]);
  assert.deepEqual(Object.keys(code.files), [
    "./lib/a.ts",
    "./lib/c.ts",
    "./lib/t.ts",
    "./lib/u.ts",
    "./stage.ts",
    "./up/outside.ts",
  ]);
  assert.equal(code.files["./lib/a.ts"], sha256(files["lib/a.ts"]));
  assert.deepEqual(code.packages, { "npm:x@1": "x@1.0.0", zod: "zod@1.0.0" });
  assert.deepEqual(code.untracked, []);
});

Deno.test("hashStageCode() records each imported package's resolved version, and a package that does not resolve is untracked", async () => {
  const code = await hashFiles({
    "stage.ts": `import * as v from "vega";
import "./lib.ts";
`,
    "lib.ts": `import { x } from "missing-pkg";
import type { T } from "typed-only";
`,
  }, ["stage.ts"]);
  assert.deepEqual(code.packages, { "missing-pkg": "unresolved", vega: "vega@1.0.0" });
  assert.deepEqual(code.untracked, [
    "lib.ts: imports package missing-pkg, which does not resolve here",
  ]);
});

Deno.test("resolvePackageVersion() names the version the project's import map resolves to", () => {
  assert.equal(resolvePackageVersion("vega"), "vega@6.4.0");
  assert.equal(resolvePackageVersion("@tensorflow/tfjs-core"), "@tensorflow/tfjs-core@4.22.0");
  assert.throws(() => resolvePackageVersion("no-such-package-here"));
});

Deno.test("hashStageCode() is not fooled by imports inside comments, strings, templates or regular expressions", async () => {
  const code = await hashFiles({
    "stage.ts": [
      `// import { gone } from "./gone.ts";`,
      `/* import("./gone2.ts") and import(name) */`,
      `const s = 'import("./gone3.ts")';`,
      "const t = `import(${'x'}) import './gone4.ts'`;",
      `const r = /import\\(x\\)/g;`,
      `const half = 4 / 2; const q = 1 / half;`,
      `export const ok = 1;`,
    ].join("\n"),
  }, ["stage.ts"]);
  assert.deepEqual(Object.keys(code.files), ["./stage.ts"]);
  assert.deepEqual(code.untracked, []);
});

Deno.test("hashStageCode() marks a computed import() or a missing import as not fully tracked", async () => {
  const code = await hashFiles({
    "stage.ts": `import "./lib/a.ts";\nimport { b } from "./lib/missing.ts";\n`,
    "lib/a.ts": `const which = "./x.ts";\nexport const m = await import(which);\n` +
      "export const n = await import(`./y/${which}`);\n",
  }, ["stage.ts"]);
  assert.deepEqual(code.untracked, [
    "lib/a.ts:2: computed import()",
    "lib/a.ts:3: computed import()",
    "stage.ts: imports lib/missing.ts, which does not exist",
  ]);
});

Deno.test("hashStageCode() accepts a computed import() vouched for by a cnnlab-tracked-import comment", async () => {
  const code = await hashFiles({
    "stage.ts": `const pkg = "@tensorflow/tfjs-node";\n` +
      `// cnnlab-tracked-import: its version is in the runtime facts\n` +
      `export const tf = await import(pkg);\n`,
  }, ["stage.ts"]);
  assert.deepEqual(code.untracked, []);
  assert.deepEqual(
    scanImports(`// cnnlab-tracked-import: version in runtime\nawait import(x);\nimport(y);`)
      .computed,
    [{ line: 2, vouched: "version in runtime" }, { line: 3 }],
  );
});

Deno.test("hashStageCode() hashes files named by literal new URL(…, import.meta.url) and every extra root", async () => {
  const code = await hashFiles({
    "stages/train.ts": `const w = new URL("./worker.js", import.meta.url);\n` +
      `const dir = new URL("../", import.meta.url);\n` +
      "const lib = new URL(`../build/lib.${ext}`, import.meta.url);\n",
    "stages/worker.js": `import "./helper.js";\n`,
    "stages/helper.js": "self.onmessage = () => {};\n",
    "models/lenet.ts": `import { net } from "./_net.ts";\n`,
    "models/_net.ts": "export const net = 1;\n",
    "models/vgg.ts": "export const vgg = 1;\n",
  }, ["stages/train.ts", "models/lenet.ts"]);
  assert.deepEqual(Object.keys(code.files), [
    "../models/_net.ts",
    "../models/lenet.ts",
    "./helper.js",
    "./train.ts",
    "./worker.js",
  ]);
  assert.deepEqual(code.untracked, []);
});

Deno.test("hashStageCode() refuses a root that does not exist", async () => {
  await assert.rejects(
    () => hashFiles({ "a.ts": "" }, ["nope.ts"]),
    /Cannot hash stage module .*nope\.ts as it does not exist/,
  );
});
