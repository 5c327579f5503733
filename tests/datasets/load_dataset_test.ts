import assert from "node:assert/strict";
import { join } from "node:path";
import { loadDataset } from "../../tasks/datasets/mod.ts";
import {
  cifarMembers,
  gzip,
  idxBytes,
  tarBytes,
  tinyImageNetMembers,
  writeIdxFixture,
  writeTinyImageNetZip,
} from "../fixtures/datasets/make_fixtures.ts";

const QUIET = { env: {}, download: false } as const;

Deno.test("loadDataset() decodes a fixture from data.path and describes it in the meta", async () => {
  const dir = await Deno.makeTempDir();
  await writeIdxFixture(dir, { train: 23, test: 7, side: 5 });
  const lines: string[] = [];
  const { train, test, meta, source } = await loadDataset({
    dataset: "mnist",
    path: dir,
    ...QUIET,
    log: (l) => lines.push(l),
  });
  assert.equal(train.count, 23);
  assert.equal(test.count, 7);
  assert.deepEqual(meta.shape, [5, 5, 1]);
  assert.deepEqual(meta.counts, { train: 23, test: 7 });
  assert.deepEqual(meta.classCounts.train, [3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(source, { kind: "path", location: dir });
  assert.ok(!("source" in meta), "the meta says what the data is, not where it was read");
  assert.equal(meta.files.length, 4);
  assert.ok(meta.files.every((f) => f.verified === "unknown" && /^[0-9a-f]{64}$/.test(f.sha256)));
  assert.deepEqual(Object.keys(meta.sha256).sort(), [
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
  ]);
  assert.equal(lines[0], `mnist: using ${dir} (config data.path)`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadDataset() refuses a full-size file whose content differs from the published one", async () => {
  const dir = await Deno.makeTempDir();
  await writeIdxFixture(dir, { train: 60000, test: 2, side: 1 });
  // 60,000 labels: the published size of train-labels, but all zeros
  await Deno.writeFile(
    join(dir, "train-labels-idx1-ubyte.gz"),
    gzip(idxBytes(2049, [60000], new Uint8Array(60000))),
  );
  await assert.rejects(
    () => loadDataset({ dataset: "mnist", path: dir, ...QUIET }),
    (error: Error) => {
      assert.match(
        error.message,
        new RegExp(
          `^Cannot use ${
            join(dir, "train-labels-idx1-ubyte.gz")
          }: train-labels-idx1-ubyte.gz does not ` +
            "match its published checksum: expected 28881 bytes with SHA-256 3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c, " +
            "got \\d+ bytes with SHA-256 [0-9a-f]{64} \\(decompressed content SHA-256 [0-9a-f]{64}\\); " +
            "the copy is damaged, delete it and fetch it again$",
        ),
      );
      return true;
    },
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadDataset() reads CIFAR-10 from the archive in ./data and records its checksum", async () => {
  const cwd = await Deno.makeTempDir();
  await Deno.mkdir(join(cwd, "data", "cifar10"), { recursive: true });
  await Deno.writeFile(
    join(cwd, "data", "cifar10", "cifar-10-binary.tar.gz"),
    gzip(tarBytes(cifarMembers(3, 4))),
  );
  const progress: number[] = [];
  const { meta, source } = await loadDataset({
    dataset: "cifar10",
    cwd,
    repoRoot: cwd,
    ...QUIET,
    progress: (p) => progress.push(p.done),
  });
  assert.deepEqual(meta.counts, { train: 15, test: 4 });
  assert.deepEqual(meta.shape, [32, 32, 3]);
  assert.equal(source.kind, "data-dir");
  assert.deepEqual(meta.files.map((f) => [f.name, f.verified]), [[
    "cifar-10-binary.tar.gz",
    "unknown",
  ]]);
  assert.ok(progress.length > 0);
  await Deno.remove(cwd, { recursive: true });
});

Deno.test("loadDataset() names Tiny ImageNet classes from words.txt", async () => {
  const dir = await Deno.makeTempDir();
  await writeTinyImageNetZip(dir, tinyImageNetMembers(["n02", "n01"], 2, 1));
  const { meta, source } = await loadDataset({ dataset: "tiny-imagenet", path: dir, ...QUIET });
  assert.deepEqual(meta.classNames, ["thing1", "thing0"]);
  assert.deepEqual(meta.classCounts, { train: [2, 2], test: [1, 1] });
  assert.equal(source.location, join(dir, "tiny-imagenet-200.zip"));
  await Deno.remove(dir, { recursive: true });
});
