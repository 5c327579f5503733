import assert from "node:assert/strict";
import { join } from "node:path";
import { loadDataArtifact, loadSplitArtifact } from "../../tasks/datasets/mod.ts";
import { run as runData } from "../../tasks/stages/data_stage.ts";
import { run as runSplit } from "../../tasks/stages/split_stage.ts";
import {
  cifarMembers,
  gzip,
  pixel,
  tarBytes,
  writeIdxFixture,
} from "../fixtures/datasets/make_fixtures.ts";
import { dataStageNode, stageContext } from "../_stage_harness.ts";
import { dataStage, splitStage } from "./_data_stages.ts";

Deno.test("the data stage writes the four uint8 files and meta.json that loadDataArtifact reads back", async () => {
  const src = await Deno.makeTempDir();
  await Deno.writeFile(join(src, "cifar-10-binary.tar.gz"), gzip(tarBytes(cifarMembers(2, 3))));
  const ctx = await dataStage("cifar10", src);
  const names = [];
  for await (const e of Deno.readDir(ctx.outDir)) names.push(e.name);
  assert.deepEqual(names.sort(), [
    "meta.json",
    "test-images.u8",
    "test-labels.u8",
    "train-images.u8",
    "train-labels.u8",
  ]);
  assert.equal((await Deno.stat(join(ctx.outDir, "train-images.u8"))).size, 10 * 32 * 32 * 3);
  const { meta, train, test } = await loadDataArtifact(ctx.outDir);
  assert.equal(meta.dataset, "cifar10");
  assert.equal(meta.classNames.length, 10);
  assert.equal(train.images[((7 * 32 + 3) * 32 + 5) * 3 + 2], pixel(7, 3, 5, 2));
  assert.deepEqual([...test.labels], [0, 1, 2]);
  assert.match(
    ctx.logs.at(-1)!,
    /^cifar10: 10 train \+ 3 test images of 32×32×3, 10 classes, from .* \(path\) in \d+\.\d s$/,
  );
  await ctx.cleanup();
  await Deno.remove(src, { recursive: true });
});

Deno.test("the data stage refuses files that changed after the pipeline was planned", async () => {
  const src = await Deno.makeTempDir();
  const cacheDir = await Deno.makeTempDir();
  const outDir = await Deno.makeTempDir();
  try {
    await writeIdxFixture(src, { train: 20, test: 5, side: 3 });
    const node = await dataStageNode("mnist", src, cacheDir);
    // Another copy written in place after planning: the bytes the plan was keyed on are gone.
    await writeIdxFixture(src, { train: 30, test: 5, side: 3 });
    const { ctx } = await stageContext(node.params, { outDir, uses: node.uses });
    await assert.rejects(() => runData(ctx), {
      message:
        `Cannot read mnist from ${src}: its files changed after the pipeline was planned; run it again`,
    });
  } finally {
    for (const dir of [src, cacheDir, outDir]) await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the split stage writes indices and split.json with counts, per-class counts and train stats", async () => {
  const src = await Deno.makeTempDir();
  await writeIdxFixture(src, { train: 200, test: 20, side: 3 });
  const data = await dataStage("mnist", src);
  const split = await splitStage(
    { validation: 0.25, stratified: true, seed: 7, fraction: 0.5 },
    data.outDir,
  );
  const { trainIndex, valIndex, stats, summary } = await loadSplitArtifact(split.outDir);
  assert.equal(trainIndex.length, 75);
  assert.equal(valIndex.length, 25);
  assert.deepEqual(summary.counts, { train: 75, validation: 25, test: 20 });
  assert.equal(summary.per_class.train.reduce((a, b) => a + b, 0), 75);
  assert.ok(summary.per_class.validation.every((v) => v === 2 || v === 3));
  assert.deepEqual(
    {
      seed: summary.seed,
      validation: summary.validation,
      stratified: summary.stratified,
      limit: summary.limit,
      fraction: summary.fraction,
    },
    { seed: 7, validation: 0.25, stratified: true, limit: null, fraction: 0.5 },
  );
  assert.equal(stats.mean.length, 1);
  assert.ok(stats.mean[0] > 0 && stats.mean[0] < 1 && stats.std[0] > 0);
  assert.equal((await Deno.stat(join(split.outDir, "train-index.i32"))).size, 75 * 4);

  const again = await splitStage(
    { validation: 0.25, stratified: true, seed: 7, fraction: 0.5 },
    data.outDir,
  );
  assert.deepEqual(
    await Deno.readFile(join(again.outDir, "val-index.i32")),
    await Deno.readFile(join(split.outDir, "val-index.i32")),
  );
  for (const stage of [data, split, again]) await stage.cleanup();
  await Deno.remove(src, { recursive: true });
});

Deno.test("the split stage says which input it lacks", async () => {
  const outDir = await Deno.makeTempDir();
  const { ctx } = await stageContext({ validation: 0.2, stratified: false, seed: 0 }, { outDir });
  await assert.rejects(() => runSplit(ctx), {
    message: "Cannot split: the split stage needs an input named 'data' (the data stage)",
  });
  await Deno.remove(outDir, { recursive: true });
});
