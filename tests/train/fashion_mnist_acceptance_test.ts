/**
 * Acceptance (issue 5): lab report 000's LeNet on the real Fashion-MNIST of the Debian package,
 * one epoch over 10,000 training images on the wasm backend, reaches ≥ 80 % test accuracy.
 * Runs the real data → split → train → evaluate stage modules in order.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { evaluateStageParams, trainStageParams } from "../../tasks/plan_stages.ts";
import { runSchema } from "../../tasks/run_schema.ts";
import { run as evaluate } from "../../tasks/stages/evaluate_stage.ts";
import { run as train } from "../../tasks/stages/train_stage.ts";
import { modelStageUses, stageContext, subdir } from "../_stage_harness.ts";
import { dataStage, splitStage } from "../datasets/_data_stages.ts";

const FASHION_MNIST = "/usr/share/datasets/fashion-mnist";
// Lab report 000's LeNet (conv-BN-pool ×2, FC 120-84) with ReLU: the sigmoid default reaches only
// ~70-73 % after 313 steps (tfjs's own model.fit: 69.4 %), far from converged; ReLU gets 82.8 %.
const MODEL = { name: "lenet", activation: "relu" };
const PREPROCESS = { normalize: "train" };

Deno.test("LeNet trained 1 epoch on 10,000 Fashion-MNIST images on wasm reaches ≥ 80 % test top-1", async () => {
  const root = await Deno.makeTempDir({ prefix: "cnnlab-fmnist-" });
  const run = runSchema.parse({
    data: { dataset: "fashion-mnist", path: FASHION_MNIST },
    // 12,500 images, 20 % held out: exactly 10,000 training images, as the issue asks.
    split: { validation: 0.2, limit: 12_500, seed: 0 },
    model: MODEL,
    // Adam at 3e-3 (lab report 000 used 4e-3 at batch 128), batch 32: 313 steps in the epoch.
    train: { optimizer: "adam", lr: 0.003, batch_size: 32, epochs: 1 },
    preprocess: PREPROCESS,
    evaluate: { batch_size: 500 },
    seed: 0,
    backend: "wasm",
  });
  const data = await dataStage("fashion-mnist", FASHION_MNIST);
  const split = await splitStage(run.split, data.outDir);
  try {
    const runtime = { backend: "wasm" };
    const uses = modelStageUses(run.model.name, "wasm");
    const inputs = { data: data.outDir, split: split.outDir };
    const trainOut = await subdir(root, "train");
    const started = performance.now();
    const trainStage = await stageContext(trainStageParams(run), {
      outDir: trainOut,
      workDir: await subdir(root, "work"),
      inputs,
      uses,
      runtime,
      echo: true,
    });
    await train(trainStage.ctx);
    const info = JSON.parse(await Deno.readTextFile(join(trainOut, "train.json")));
    assert.equal(info.status, "ok");
    assert.equal(info.backend, "wasm");
    const history = JSON.parse(await Deno.readTextFile(join(trainOut, "history.json")));
    assert.equal(history.epochs.length, 1);
    const evalOut = await subdir(root, "evaluate");
    const evaluateStage = await stageContext(evaluateStageParams(run), {
      outDir: evalOut,
      inputs: { ...inputs, train: trainOut },
      uses,
      runtime,
      echo: true,
    });
    await evaluate(evaluateStage.ctx);
    const metrics = JSON.parse(await Deno.readTextFile(join(evalOut, "metrics.json")));
    console.log(
      `train ${info.images_per_sec.toFixed(0)} img/s, total ${
        ((performance.now() - started) / 1000).toFixed(1)
      } s; ` +
        `test top-1 ${(100 * metrics.top1).toFixed(2)} %, top-5 ${
          (100 * metrics.top5).toFixed(2)
        } %`,
    );
    assert.equal(metrics.count, 10_000);
    assert.ok(metrics.top1 >= 0.8, `test top-1 ${metrics.top1} < 0.80`);
  } finally {
    await data.cleanup();
    await split.cleanup();
    await Deno.remove(root, { recursive: true });
  }
});
