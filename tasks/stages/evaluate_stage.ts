/**
 * Evaluate stage: rebuilds the trained model, loads its weights and measures it on the test set:
 * loss, top-1, top-5, per-class accuracy, confusion matrix, inference images/s → metrics.json;
 * each test image's label, prediction and confidence → predictions.csv (tasks/artifacts/).
 *
 * Inputs: `data`, `split` (for the normalization statistics), `train`.
 * Params: `{ model, preprocess, evaluate, seed }`.
 * @module
 */
import { join } from "node:path";
import type { StageContext } from "../../pipelines/types.ts";
import { useBackend } from "../backends/mod.ts";
import { batches, loadDataArtifact, loadSplitArtifact } from "../datasets/mod.ts";
import { buildModel, loadModelWeights } from "../models/mod.ts";
import { formatPredictions, PREDICTIONS_FILE } from "../artifacts/predictions.ts";
import { evaluateModel } from "../train/evaluate_model.ts";
import { provenance } from "../train/provenance.ts";
import { requestedBackend } from "../train/requested_backend.ts";
import { resolvePreprocess } from "../train/resolve_preprocess.ts";
import { evaluateStageParamsSchema, parseStageParams } from "../train/stage_params.ts";
import { writeFileAtomic } from "../train/write_file_atomic.ts";

/** Runs the evaluate stage (see the module doc). */
export async function run(ctx: StageContext): Promise<void> {
  const params = parseStageParams("evaluate", evaluateStageParamsSchema, ctx.params);
  const backend = await useBackend(requestedBackend(ctx.runtime, params.backend));
  const { meta, test } = await loadDataArtifact(ctx.inputs.data);
  const split = await loadSplitArtifact(ctx.inputs.split);
  const { preprocess, inputShape } = resolvePreprocess(params.model, params.preprocess, meta.shape);
  const classes = meta.classNames.length;
  const model = buildModel(params.model, { inputShape, classes, seed: params.seed });
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
    const metrics = {
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
      provenance: provenance({
        backend,
        seed: params.seed,
        params: ctx.params,
        runtime: ctx.runtime,
      }),
    };
    await writeFileAtomic(
      join(ctx.outDir, "metrics.json"),
      JSON.stringify(metrics, null, 2) + "\n",
    );
    // The batches run over the test set in order, so the k-th prediction is test image k.
    await writeFileAtomic(
      join(ctx.outDir, PREDICTIONS_FILE),
      formatPredictions({ index, ...result.predictions }),
    );
    ctx.log(
      `test: loss ${result.loss.toFixed(4)}, top-1 ${(100 * result.top1).toFixed(2)}%, ` +
        `top-5 ${(100 * result.top5).toFixed(2)}% on ${result.count} images ` +
        `(${Math.round(result.images_per_sec)} img/s, ${backend.name})`,
    );
  } finally {
    model.dispose();
  }
}
