/**
 * Acceptance on the real data sets this machine has: MNIST from ../shared/datasets/mnist and
 * Fashion-MNIST from Debian's dataset-fashion-mnist (installed by scripts/setup.sh).
 */
import assert from "node:assert/strict";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  loadDataArtifact,
  loadSplitArtifact,
  type SplitSummary,
} from "../../tasks/datasets/mod.ts";
import { dataStage, splitStage } from "./_data_stages.ts";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MNIST_DIR = resolve(REPO, "..", "shared", "datasets", "mnist");

Deno.test("the data stage reads real MNIST: 60,000/10,000 with the published label counts, verified by SHA-256", async () => {
  const ctx = await dataStage("mnist", MNIST_DIR);
  const { meta, train, test } = await loadDataArtifact(ctx.outDir);
  assert.equal(train.count, 60000);
  assert.equal(test.count, 10000);
  assert.deepEqual(train.shape, [28, 28, 1]);
  assert.equal(train.images.length, 47040000);
  assert.deepEqual(meta.classCounts.train, [
    5923,
    6742,
    5958,
    6131,
    5842,
    5421,
    5918,
    6265,
    5851,
    5949,
  ]);
  assert.deepEqual(meta.classCounts.test, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  const counts = new Array(10).fill(0);
  for (const label of test.labels) counts[label]++;
  assert.deepEqual(counts, meta.classCounts.test);
  assert.deepEqual(meta.files.map((f) => f.verified), Array(4).fill("published-sha256"));
  assert.equal(
    meta.sha256["train-images-idx3-ubyte.gz"],
    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
  );

  const split = await splitStage({ validation: 0.2, stratified: true, seed: 0 }, ctx.outDir);
  const { trainIndex, valIndex, stats } = await loadSplitArtifact(split.outDir);
  assert.equal(trainIndex.length, 48000);
  assert.equal(valIndex.length, 12000);
  const summary = JSON.parse(
    await Deno.readTextFile(join(split.outDir, "split.json")),
  ) as SplitSummary;
  summary.per_class.validation.forEach((v, c) => {
    assert.ok(
      Math.abs(v - 0.2 * meta.classCounts.train[c]) <= 1,
      `class ${c}: ${v} validation images`,
    );
  });
  // the well-known MNIST statistics (0.1307, 0.3081), here of the 48,000 training images
  assert.ok(Math.abs(stats.mean[0] - 0.1307) < 0.002, `mean ${stats.mean[0]}`);
  assert.ok(Math.abs(stats.std[0] - 0.3081) < 0.002, `std ${stats.std[0]}`);
  await ctx.cleanup();
  await split.cleanup();
});

Deno.test("the data stage reads real Fashion-MNIST from Debian's package: 6,000/1,000 images per class", async () => {
  const ctx = await dataStage("fashion-mnist", "/usr/share/datasets/fashion-mnist");
  const { meta, train, test } = await loadDataArtifact(ctx.outDir);
  assert.equal(train.count, 60000);
  assert.equal(test.count, 10000);
  assert.deepEqual(meta.classCounts.train, Array(10).fill(6000));
  assert.deepEqual(meta.classCounts.test, Array(10).fill(1000));
  assert.deepEqual(meta.classNames.slice(0, 2), ["T-shirt/top", "Trouser"]);
  assert.deepEqual(meta.files.map((f) => f.verified), Array(4).fill("known-sha256"));
  await ctx.cleanup();
});
