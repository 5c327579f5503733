/**
 * Train stage: builds the model, trains it on the split's training part (validating on its
 * validation part) and writes weights/, history.json, history.csv, summary.json and train.json.
 *
 * Inputs: `data`, `split`. Params: {@linkcode TrainStageParams}. Uses: `family` (the model's
 * family module) and `backend` (the resolved backend's starter), chosen by the planner.
 * A diverged run still succeeds, with `status: "diverged"` in train.json, so that the report can
 * show and flag it instead of the whole pipeline failing.
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipelines/types.ts";
import { writeHistory } from "../artifacts/history.ts";
import { writeModelSummary } from "../artifacts/model_summary.ts";
import { writeTrainInfo } from "../artifacts/train_info.ts";
import { backendFromModule } from "../backends/backend_module.ts";
import { batches } from "../datasets/batches.ts";
import { loadDataArtifact } from "../datasets/load_data_artifact.ts";
import { loadSplitArtifact } from "../datasets/load_split_artifact.ts";
import { buildFromFamily, familyInputShape } from "../models/build_from_family.ts";
import { familyFromModule } from "../models/model_family.ts";
import { saveModelWeights } from "../models/model_weights.ts";
import { summarizeModel } from "../models/summarize_model.ts";
import { installSeededMathRandom } from "../train/seeded_math_random.ts";
import { trainModel } from "../train/train_model.ts";
import { stageProvenance } from "./_provenance.ts";
import { resolvePreprocess } from "./_resolve_preprocess.ts";
import type { TrainStageParams } from "./stage_params.ts";

/** Name of the checkpoint file in `ctx.workDir`. */
export const CHECKPOINT_FILE = "checkpoint.ckpt";

/** Runs the train stage (see the module doc). */
export async function run(ctx: StageContext<TrainStageParams>): Promise<void> {
  const params = ctx.params;
  const backend = await backendFromModule(ctx.uses.backend).startBackend();
  ctx.log(`backend: ${backend.name} (${backend.detail})`);
  const family = familyFromModule(ctx.uses.family, params.model.name);
  const { meta, train: images } = await loadDataArtifact(ctx.inputs.data);
  const split = await loadSplitArtifact(ctx.inputs.split);
  const { preprocess, inputShape } = resolvePreprocess(
    familyInputShape(family, params.model, meta.shape),
    params.preprocess,
    meta.shape,
  );
  const classes = meta.classNames.length;

  // Seed Math.random while building too, for any initializer or layer the zoo did not seed.
  const random = installSeededMathRandom(params.seed, 0xb017d);
  const model = (() => {
    try {
      return buildFromFamily(family, params.model, { inputShape, classes, seed: params.seed });
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

    const provenance = stageProvenance(ctx, backend);
    await saveModelWeights(model, join(ctx.outDir, "weights"));
    await writeHistory(ctx.outDir, result.history, provenance);
    await writeModelSummary(ctx.outDir, { ...summary, provenance });
    await writeTrainInfo(ctx.outDir, {
      status: result.status,
      flags: result.flags,
      message: result.message,
      epochs: result.epochs,
      planned_epochs: params.train.epochs,
      seconds: result.seconds,
      images_per_sec: result.images_per_sec,
      params: summary.totalParams,
      backend: backend.name,
      divergence: result.divergence,
      best_epoch: result.best_epoch,
      resumed_from_epoch: result.resumed_from_epoch,
      input_shape: inputShape,
      preprocess,
      provenance,
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
