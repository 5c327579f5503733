import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  DATASET_CATALOG,
  type DatasetCatalogEntry,
  resolveSource,
} from "../../tasks/datasets/mod.ts";
import { writeIdxFixture } from "../fixtures/datasets/make_fixtures.ts";
import { startServer } from "./_local_http_server.ts";

/** A sandbox: cwd, a fake repository root and an empty catalog of system folders. */
async function sandbox() {
  const root = await Deno.makeTempDir();
  const cwd = join(root, "work");
  await Deno.mkdir(cwd);
  const catalog: DatasetCatalogEntry = {
    ...DATASET_CATALOG.mnist,
    systemDirs: [join(root, "usr-share")],
  };
  return { root, cwd, catalog, repoRoot: join(root, "repo") };
}

Deno.test("resolveSource() uses config data.path and nothing else", async () => {
  const s = await sandbox();
  await writeIdxFixture(join(s.cwd, "mine"), { train: 2, test: 2 });
  await writeIdxFixture(join(s.cwd, "data", "mnist"), { train: 2, test: 2 });
  const source = await resolveSource("mnist", { ...s, path: "mine", env: {}, download: false });
  assert.deepEqual(source, { kind: "path", location: join(s.cwd, "mine") });
  await Deno.remove(s.root, { recursive: true });
});

Deno.test("resolveSource() fails on a data.path without the files rather than look elsewhere", async () => {
  const s = await sandbox();
  await writeIdxFixture(join(s.cwd, "data", "mnist"), { train: 2, test: 2 });
  await Deno.mkdir(join(s.cwd, "empty"));
  await assert.rejects(
    () => resolveSource("mnist", { ...s, path: "empty", env: {}, download: false }),
    {
      message: `Cannot read mnist from data.path ${join(s.cwd, "empty")} as it lacks ` +
        "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, " +
        "t10k-labels-idx1-ubyte.gz; fix data.path or remove it to use the usual places. How to " +
        `get the data: ${DATASET_CATALOG.mnist.howToGet}`,
    },
  );
  await Deno.remove(s.root, { recursive: true });
});

Deno.test("resolveSource() prefers $CNNLAB_DATA over ./data over system folders", async () => {
  const s = await sandbox();
  const env = { CNNLAB_DATA: join(s.root, "store") };
  await writeIdxFixture(join(s.root, "usr-share"), { train: 2, test: 2 });
  assert.equal((await resolveSource("mnist", { ...s, env, download: false })).kind, "system");
  await writeIdxFixture(join(s.cwd, "data", "mnist"), { train: 2, test: 2 });
  assert.equal((await resolveSource("mnist", { ...s, env, download: false })).kind, "data-dir");
  await writeIdxFixture(join(s.root, "store", "mnist"), { train: 2, test: 2 });
  assert.deepEqual(await resolveSource("mnist", { ...s, env, download: false }), {
    kind: "env",
    location: join(s.root, "store", "mnist"),
  });
  await Deno.remove(s.root, { recursive: true });
});

Deno.test("resolveSource() finds the sibling shared/datasets folder of the repository", async () => {
  const s = await sandbox();
  await writeIdxFixture(join(s.root, "shared", "datasets", "mnist"), { train: 2, test: 2 });
  assert.deepEqual(await resolveSource("mnist", { ...s, env: {}, download: false }), {
    kind: "system",
    location: join(s.root, "shared", "datasets", "mnist"),
  });
  await Deno.remove(s.root, { recursive: true });
});

Deno.test("resolveSource() prints every place tried, in order, and how to get the data", async () => {
  const s = await sandbox();
  await Deno.mkdir(join(s.cwd, "data", "mnist"), { recursive: true });
  await Deno.writeFile(
    join(s.cwd, "data", "mnist", "train-images-idx3-ubyte.gz"),
    new Uint8Array(1),
  );
  await assert.rejects(() => resolveSource("mnist", { ...s, env: { CNNLAB_OFFLINE: "1" } }), {
    message: "Cannot find the mnist data set (MNIST (LeCun, Cortes, Burges)). Tried, in order:\n" +
      "  1. config data.path: not set\n" +
      "  2. $CNNLAB_DATA/mnist: CNNLAB_DATA is not set\n" +
      `  3. ./data/mnist (${join(s.cwd, "data", "mnist")}): lacks train-labels-idx1-ubyte.gz, ` +
      "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz\n" +
      `  4. system location (${join(s.root, "usr-share")}): does not exist\n` +
      `  5. sibling shared/datasets (${
        join(s.root, "shared", "datasets", "mnist")
      }): does not exist\n` +
      `  6. download into ${join(s.cwd, "data", "mnist")}: disabled (CNNLAB_OFFLINE=1)\n` +
      `How to get it: ${DATASET_CATALOG.mnist.howToGet}`,
  });
  await Deno.remove(s.root, { recursive: true });
});

Deno.test("resolveSource() downloads verified files into the data directory when nothing is local", async () => {
  const s = await sandbox();
  const fixture = join(s.root, "fixture");
  await writeIdxFixture(fixture, { train: 3, test: 2 });
  const routes: Record<string, { body: Uint8Array }> = {};
  const files = [];
  for (const known of DATASET_CATALOG.mnist.files) {
    const body = await Deno.readFile(join(fixture, known.name));
    routes[`/mirror/${known.name}`] = { body };
    files.push({
      name: known.name,
      bytes: body.length,
      sha256: createHash("sha256").update(body).digest("hex"),
    });
  }
  const server = startServer(routes);
  try {
    const catalog = {
      ...s.catalog,
      files,
      mirrors: [`${server.url}/down/`, `${server.url}/mirror/`],
    };
    const env = { CNNLAB_DATA: join(s.root, "store") };
    const source = await resolveSource("mnist", { ...s, catalog, env });
    assert.deepEqual(source, { kind: "download", location: join(s.root, "store", "mnist") });
    for (const file of files) {
      assert.deepEqual(
        await Deno.readFile(join(s.root, "store", "mnist", file.name)),
        routes[`/mirror/${file.name}`].body,
      );
    }
    assert.equal(server.requests.length, 8);
  } finally {
    await server.close();
    await Deno.remove(s.root, { recursive: true });
  }
});

Deno.test("resolveSource() keeps nothing, not even an empty folder, when every mirror fails", async () => {
  const s = await sandbox();
  const server = startServer({});
  try {
    const catalog = { ...s.catalog, mirrors: [`${server.url}/a/`] };
    await assert.rejects(
      () => resolveSource("mnist", { ...s, catalog, env: {} }),
      (error: Error) => {
        assert.ok(
          error.message.includes(
            `  6. download into ${join(s.cwd, "data", "mnist")}: Cannot download ` +
              "train-images-idx3-ubyte.gz: every source failed, nothing was kept:\n" +
              `       - ${server.url}/a/train-images-idx3-ubyte.gz: HTTP 404 Not Found\n`,
          ),
          error.message,
        );
        return true;
      },
    );
    assert.equal(await Array.fromAsync(Deno.readDir(s.cwd)).then((e) => e.length), 0);
  } finally {
    await server.close();
    await Deno.remove(s.root, { recursive: true });
  }
});
