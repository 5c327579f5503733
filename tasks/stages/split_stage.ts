/**
 * The split stage: divides the data artifact's training set into train and validation
 * indices (seeded, optionally stratified and limited) and records the train part's
 * per-channel mean/std. Input `data`; params: the `split:` config section.
 * @module
 */
import type { StageContext } from "../../pipelines/types.ts";
import { loadDataArtifact } from "../datasets/load_data_artifact.ts";
import { splitDataset } from "../datasets/split_dataset.ts";
import { channelStats } from "../datasets/channel_stats.ts";
import { writeSplitArtifact } from "../datasets/write_split_artifact.ts";
import type { SplitStageParams } from "./stage_params.ts";

/** Runs the split stage; see the module doc. */
export async function run(ctx: StageContext<SplitStageParams>): Promise<void> {
  const options = ctx.params;
  const dataDir = ctx.inputs.data;
  if (dataDir === undefined) {
    throw new Error("Cannot split: the split stage needs an input named 'data' (the data stage)");
  }
  const { meta, train } = await loadDataArtifact(dataDir);
  const { trainIndex, valIndex } = splitDataset(train.labels, options);
  const stats = channelStats(train, trainIndex);
  const perClass = (index: Int32Array) => {
    const counts = new Array<number>(meta.classNames.length).fill(0);
    for (const i of index) counts[train.labels[i]]++;
    return counts;
  };
  await writeSplitArtifact(ctx.outDir, {
    trainIndex,
    valIndex,
    summary: {
      seed: options.seed,
      validation: options.validation,
      stratified: options.stratified,
      limit: options.limit ?? null,
      fraction: options.fraction ?? null,
      counts: { train: trainIndex.length, validation: valIndex.length, test: meta.counts.test },
      per_class: { train: perClass(trainIndex), validation: perClass(valIndex) },
      mean: stats.mean,
      std: stats.std,
    },
  });
  ctx.log(
    `${meta.dataset}: ${trainIndex.length} train / ${valIndex.length} validation ` +
      `(seed ${options.seed}${options.stratified ? ", stratified" : ""}); train mean ` +
      `[${stats.mean.map((m) => m.toFixed(4)).join(", ")}], std ` +
      `[${stats.std.map((s) => s.toFixed(4)).join(", ")}]`,
  );
}
