/**
 * Evaluate stage: rebuilds the trained model, loads its weights and measures it on the test set:
 * loss, top-1, top-5, per-class accuracy, confusion matrix, inference images/s → metrics.json;
 * each test image's label, prediction and confidence → predictions.csv (tasks/artifacts/).
 *
 * Inputs: `data`, `split` (for the normalization statistics), `train`.
 * Params: {@linkcode EvaluateStageParams}. Uses: `family` and `backend`, as the train stage.
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipelines/types.ts";
import { writeMetrics } from "../artifacts/metrics.ts";
import { writePredictions } from "../artifacts/predictions.ts";
import { backendFromModule } from "../backends/backend_module.ts";
import { batches } from "../datasets/batches.ts";
import { loadDataArtifact } from "../datasets/load_data_artifact.ts";
import { loadSplitArtifact } from "../datasets/load_split_artifact.ts";
import { buildFromFamily, familyInputShape } from "../models/build_from_family.ts";
import { familyFromModule } from "../models/model_family.ts";
import { loadModelWeights } from "../models/model_weights.ts";
import { evaluateModel } from "../train/evaluate_model.ts";
import { stageProvenance } from "./_provenance.ts";
import { resolvePreprocess } from "./_resolve_preprocess.ts";
import type { EvaluateStageParams } from "./stage_params.ts";

/** Runs the evaluate stage (see the module doc). */
export async function run(ctx: StageContext<EvaluateStageParams>): Promise<void> {
  const params = ctx.params;
  const backend = await backendFromModule(ctx.uses.backend).startBackend();
  const family = familyFromModule(ctx.uses.family, params.model.name);
  const { meta, test } = await loadDataArtifact(ctx.inputs.data);
  const split = await loadSplitArtifact(ctx.inputs.split);
  const { preprocess, inputShape } = resolvePreprocess(
    familyInputShape(family, params.model, meta.shape),
    params.preprocess,
    meta.shape,
  );
  const classes = meta.classNames.length;
  const model = buildFromFamily(family, params.model, { inputShape, classes, seed: params.seed });
  try {
    await loadModelWeights(model, join(ctx.inputs.train, "weights"));
    const total = test.count;
    const index = Int32Array.from({ length: total }, (_, i) => i);
    const result = await evaluateModel(
      model,
      batches(test, index, {
        batchSize: params.evaluate.batch_size,
        shuffle: false,
        seed: params.seed,
        epoch: 0,
        preprocess,
        stats: split.stats,
      }),
      {
        classes,
        onBatch: (done) => ctx.progress({ done, total, unit: "image" }),
        signal: ctx.signal,
      },
    );
    await writeMetrics(ctx.outDir, {
      loss: result.loss,
      top1: result.top1,
      top5: result.top5,
      per_class: result.per_class,
      confusion: result.confusion,
      class_names: meta.classNames,
      count: result.count,
      seconds: result.seconds,
      images_per_sec: result.images_per_sec,
      backend: backend.name,
      provenance: stageProvenance(ctx, backend),
    });
    // The batches run over the test set in order, so the k-th prediction is test image k.
    await writePredictions(ctx.outDir, { index, ...result.predictions });
    ctx.log(
      `test: loss ${result.loss.toFixed(4)}, top-1 ${(100 * result.top1).toFixed(2)}%, ` +
        `top-5 ${(100 * result.top5).toFixed(2)}% on ${result.count} images ` +
        `(${Math.round(result.images_per_sec)} img/s, ${backend.name})`,
    );
  } finally {
    model.dispose();
  }
}
