/**
 * Train stage: builds the model, trains it on the split's training part (validating on its
 * validation part) and writes weights/, history.json, history.csv, summary.json and train.json.
 *
 * Inputs: `data`, `split`. Params: `{ model, train, preprocess, augment, seed, backend }`.
 * A diverged run still succeeds, with `status: "diverged"` in train.json, so that the report can
 * show and flag it instead of the whole pipeline failing.
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipelines/types.ts";
import { useBackend } from "../backends/mod.ts";
import { batches, loadDataArtifact, loadSplitArtifact } from "../datasets/mod.ts";
import { buildModel, saveModelWeights, summarizeModel } from "../models/mod.ts";
import type { Json } from "../train/_json.ts";
import { provenance } from "../train/provenance.ts";
import { requestedBackend } from "../train/requested_backend.ts";
import { resolvePreprocess } from "../train/resolve_preprocess.ts";
import { installSeededMathRandom } from "../train/seeded_math_random.ts";
import { parseStageParams, trainStageParamsSchema } from "../train/stage_params.ts";
import { trainModel } from "../train/train_model.ts";
import { writeFileAtomic } from "../train/write_file_atomic.ts";
import { writeHistory } from "../train/write_history.ts";

/** Name of the checkpoint file in `ctx.workDir`. */
export const CHECKPOINT_FILE = "checkpoint.ckpt";

/** Runs the train stage (see the module doc). */
export async function run(ctx: StageContext): Promise<void> {
  const params = parseStageParams("train", trainStageParamsSchema, ctx.params);
  const backend = await useBackend(requestedBackend(ctx.runtime, params.backend));
  ctx.log(`backend: ${backend.name} (${backend.detail})`);
  const { meta, train: images } = await loadDataArtifact(ctx.inputs.data);
  const split = await loadSplitArtifact(ctx.inputs.split);
  const { preprocess, inputShape } = resolvePreprocess(params.model, params.preprocess, meta.shape);
  const classes = meta.classNames.length;

  // Seed Math.random while building too, for any initializer or layer the zoo did not seed.
  const random = installSeededMathRandom(params.seed, 0xb017d);
  const model = (() => {
    try {
      return buildModel(params.model, { inputShape, classes, seed: params.seed });
    } finally {
      random.restore();
    }
  })();
  try {
    const summary = summarizeModel(model, params.train.batch_size);
    ctx.log(
      `model ${params.model.name}: ${summary.totalParams} params, input [${inputShape}], ` +
        `${split.trainIndex.length} training / ${split.valIndex.length} validation images`,
    );
    const batchOptions = { preprocess, stats: split.stats, seed: params.seed };
    const result = await trainModel(model, {
      classes,
      trainCount: split.trainIndex.length,
      trainBatches: (epoch, startBatch) =>
        batches(images, split.trainIndex, {
          ...batchOptions,
          batchSize: params.train.batch_size,
          shuffle: true,
          epoch,
          startBatch,
          augment: params.augment,
        }),
      valCount: split.valIndex.length,
      valBatches: () =>
        batches(images, split.valIndex, {
          ...batchOptions,
          batchSize: params.train.batch_size,
          shuffle: false,
          epoch: 0,
        }),
    }, {
      train: params.train,
      seed: params.seed,
      checkpointPath: join(ctx.workDir, CHECKPOINT_FILE),
      log: ctx.log,
      progress: ctx.progress,
      signal: ctx.signal,
    });

    const prov = provenance({
      backend,
      seed: params.seed,
      params: ctx.params,
      runtime: ctx.runtime,
    });
    await saveModelWeights(model, join(ctx.outDir, "weights"));
    await writeHistory(ctx.outDir, result.history, prov);
    await writeJson(join(ctx.outDir, "summary.json"), { ...summary, provenance: prov });
    await writeJson(join(ctx.outDir, "train.json"), {
      status: result.status,
      flags: result.flags,
      message: result.message,
      epochs: result.epochs,
      planned_epochs: params.train.epochs,
      seconds: result.seconds,
      images_per_sec: result.images_per_sec,
      params: summary.totalParams,
      backend: backend.name,
      divergence: result.divergence as unknown as Json,
      best_epoch: result.best_epoch,
      resumed_from_epoch: result.resumed_from_epoch,
      input_shape: inputShape,
      preprocess: preprocess as unknown as Json,
      provenance: prov,
    });
    ctx.log(
      `train ${result.status}: ${result.epochs} epochs in ${result.seconds.toFixed(1)} s, ` +
        `${Math.round(result.images_per_sec)} img/s` +
        (result.flags.length ? `; flags: ${result.flags.join(", ")}` : ""),
    );
  } finally {
    model.dispose();
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
}
