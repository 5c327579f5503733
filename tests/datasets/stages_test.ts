import assert from "node:assert/strict";
import { join } from "node:path";
import { run as runData } from "../../tasks/stages/data_stage.ts";
import { run as runSplit } from "../../tasks/stages/split_stage.ts";
import { loadDataArtifact, loadSplitArtifact } from "../../tasks/datasets/mod.ts";
import {
  cifarMembers,
  gzip,
  pixel,
  tarBytes,
  writeIdxFixture,
} from "../fixtures/datasets/make_fixtures.ts";
import { stageContext } from "./_stage_context.ts";

async function cleanup(...ctxs: { outDir: string; workDir: string }[]) {
  for (const c of ctxs) {
    await Deno.remove(c.outDir, { recursive: true });
    await Deno.remove(c.workDir, { recursive: true });
  }
}

Deno.test("the data stage writes the four uint8 files and meta.json that loadDataArtifact reads back", async () => {
  const src = await Deno.makeTempDir();
  await Deno.writeFile(join(src, "cifar-10-binary.tar.gz"), gzip(tarBytes(cifarMembers(2, 3))));
  const ctx = await stageContext({ dataset: "cifar10", path: src });
  await runData(ctx);
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
    ctx.lines.at(-1)!,
    /^cifar10: 10 train \+ 3 test images of 32×32×3, 10 classes, from .* in \d+\.\d s$/,
  );
  await cleanup(ctx);
  await Deno.remove(src, { recursive: true });
});

Deno.test("the data stage rejects params with an unknown key", async () => {
  const ctx = await stageContext({ dataset: "mnist", pth: "x" });
  await assert.rejects(() => runData(ctx), {
    message: 'Cannot run the data stage as its params are invalid: ✖ Unrecognized key: "pth"',
  });
  await cleanup(ctx);
});

Deno.test("the split stage writes indices and split.json with counts, per-class counts and train stats", async () => {
  const src = await Deno.makeTempDir();
  await writeIdxFixture(src, { train: 200, test: 20, side: 3 });
  const data = await stageContext({ dataset: "mnist", path: src });
  await runData(data);
  const split = await stageContext({ validation: 0.25, stratified: true, seed: 7, fraction: 0.5 }, {
    data: data.outDir,
  });
  await runSplit(split);
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

  const again = await stageContext({ validation: 0.25, stratified: true, seed: 7, fraction: 0.5 }, {
    data: data.outDir,
  });
  await runSplit(again);
  assert.deepEqual(
    await Deno.readFile(join(again.outDir, "val-index.i32")),
    await Deno.readFile(join(split.outDir, "val-index.i32")),
  );
  await cleanup(data, split, again);
  await Deno.remove(src, { recursive: true });
});

Deno.test("the split stage says which input it lacks", async () => {
  const ctx = await stageContext({});
  await assert.rejects(() => runSplit(ctx), {
    message: "Cannot split: the split stage needs an input named 'data' (the data stage)",
  });
  await cleanup(ctx);
});
