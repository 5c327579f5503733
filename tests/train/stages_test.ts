import assert from "node:assert/strict";
import { readPredictions } from "../../tasks/artifacts/predictions.ts";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { type ImageSet, writeDataArtifact, writeSplitArtifact } from "../../tasks/datasets/mod.ts";
import { evaluateStageParams, trainStageParams } from "../../tasks/plan_stages.ts";
import { runSchema } from "../../tasks/run_schema.ts";
import { run as evaluate } from "../../tasks/stages/evaluate_stage.ts";
import { run as train } from "../../tasks/stages/train_stage.ts";
import { mulberry32 } from "../../tasks/train/seeded_math_random.ts";
import { modelStageUses, stageContext, subdir } from "../_stage_harness.ts";

const CLASSES = ["bar0", "bar1", "bar2", "bar3"];

/** 12×12 gray images whose class c has a bright 2-pixel-high bar at row 3c. */
function images(count: number, seed: number): ImageSet {
  const rand = mulberry32(seed);
  const px = new Uint8Array(count * 144);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = i % CLASSES.length;
    labels[i] = c;
    for (let p = 0; p < 144; p++) px[i * 144 + p] = Math.floor(rand() * 60);
    for (let r = 3 * c; r < 3 * c + 2; r++) {
      for (let col = 0; col < 12; col++) px[i * 144 + r * 12 + col] = 255;
    }
  }
  return { images: px, labels, count, shape: [12, 12, 1] };
}

/** Writes data and split artifacts: 128 train (96 train / 32 validation), 40 test images. */
async function fixtureArtifacts(root: string) {
  const data = await subdir(root, "data");
  const split = await subdir(root, "split");
  const trainSet = images(128, 1);
  await writeDataArtifact(data, {
    train: trainSet,
    test: images(40, 2),
    meta: {
      dataset: "mnist",
      shape: [12, 12, 1],
      counts: { train: 128, test: 40 },
      classNames: CLASSES,
      sha256: {},
      files: [],
      classCounts: { train: [32, 32, 32, 32], test: [10, 10, 10, 10] },
    },
  });
  const order = Array.from({ length: 128 }, (_, i) => i);
  await writeSplitArtifact(split, {
    trainIndex: Int32Array.from(order.slice(0, 96)),
    valIndex: Int32Array.from(order.slice(96)),
    summary: {
      seed: 0,
      validation: 0.25,
      stratified: false,
      limit: null,
      fraction: null,
      counts: { train: 96, validation: 32, test: 40 },
      per_class: { train: [24, 24, 24, 24], validation: [8, 8, 8, 8] },
      mean: [0.2],
      std: [0.3],
    },
  });
  return { data, split };
}

/** A LeNet small enough for the cpu backend: conv 4@5×5 → pool → FC 16 → 4. */
const MODEL = { name: "lenet", channels: [4], fc_units: [16], activation: "relu" };

/** A run on the fixture as a config would give it (validated, defaults applied). */
function runParams(extra: Record<string, unknown> = {}) {
  return runSchema.parse({
    data: { dataset: "mnist" },
    model: MODEL,
    train: { optimizer: "adam", lr: 0.01, epochs: 3, batch_size: 16 },
    preprocess: { normalize: "train" },
    evaluate: { batch_size: 16 },
    seed: 5,
    ...extra,
  });
}

/** The train stage's params and modules for `runParams(extra)` on `backend`. */
function trainStage(backend: "cpu" | "wasm", extra: Record<string, unknown> = {}) {
  const params = trainStageParams(runParams(extra));
  return { params, uses: modelStageUses(params.model.name, backend), runtime: { backend } };
}

async function readJson(path: string) {
  return JSON.parse(await Deno.readTextFile(path));
}

Deno.test("the train and evaluate stages write every artifact with provenance", async () => {
  const root = await Deno.makeTempDir({ prefix: "cnnlab-stages-" });
  try {
    const inputs = await fixtureArtifacts(root);
    const trainOut = await subdir(root, "train");
    const stage = trainStage("cpu");
    const runtime = stage.runtime;
    const t = await stageContext(stage.params, {
      outDir: trainOut,
      workDir: await subdir(root, "work"),
      inputs,
      uses: stage.uses,
      runtime,
    });
    await train(t.ctx);
    const info = await readJson(join(trainOut, "train.json"));
    assert.equal(info.status, "ok");
    assert.deepEqual(info.flags, []);
    assert.equal(info.epochs, 3);
    assert.equal(info.backend, "cpu");
    assert.equal(info.params, 4 * 25 + 4 + 144 * 16 + 16 + 16 * 4 + 4 + 8);
    assert.deepEqual(info.input_shape, [12, 12, 1]);
    assert.equal(info.provenance.tfjs, tf.version_core);
    assert.equal(info.provenance.deno, Deno.version.deno);
    assert.equal(info.provenance.seed, 5);
    assert.deepEqual(info.provenance.params, stage.params);
    assert.equal(info.provenance.fingerprint, "test");
    assert.deepEqual(info.provenance.inputs, { data: "test-data", split: "test-split" });
    assert.deepEqual(info.provenance.runtime, runtime);
    const history = await readJson(join(trainOut, "history.json"));
    assert.equal(history.epochs.length, 3);
    assert.deepEqual(history.provenance, info.provenance);
    assert.ok(history.epochs[2].val_top1 >= 0.9, JSON.stringify(history.epochs[2]));
    const csv = (await Deno.readTextFile(join(trainOut, "history.csv"))).trim().split("\n");
    assert.equal(csv.length, 4);
    const summary = await readJson(join(trainOut, "summary.json"));
    assert.equal(summary.totalParams, info.params);
    assert.deepEqual(
      (await Array.fromAsync(Deno.readDir(join(trainOut, "weights")))).map((e) => e.name).sort(),
      ["model.json", "weights.bin"],
    );
    assert.ok(t.logs.some((l) => l.startsWith("epoch 3/3: train loss")));
    assert.deepEqual(t.progress.at(-1), {
      done: 18,
      total: 18,
      unit: "batch",
      note: "epoch 3/3 validating 32/32",
    });
    assert.match(t.progress[0].note!, /^epoch 1\/3 loss \d\.\d{4} acc \d+\.\d\d% \d+ img\/s$/);
    assert.equal(t.progress.filter((p) => p.note!.includes("validating")).length, 6);

    const evalOut = await subdir(root, "evaluate");
    const e = await stageContext(evaluateStageParams(runParams()), {
      outDir: evalOut,
      inputs: { ...inputs, train: trainOut },
      uses: stage.uses,
      runtime,
    });
    await evaluate(e.ctx);
    const metrics = await readJson(join(evalOut, "metrics.json"));
    assert.equal(metrics.count, 40);
    assert.ok(metrics.top1 >= 0.9, `test top1 ${metrics.top1}`);
    assert.equal(metrics.top5, 1);
    assert.deepEqual(metrics.class_names, CLASSES);
    assert.equal(metrics.confusion.flat().reduce((a: number, b: number) => a + b, 0), 40);
    assert.deepEqual(
      metrics.confusion.map((row: number[]) => row.reduce((a, b) => a + b, 0)),
      [10, 10, 10, 10],
    );
    assert.equal(metrics.per_class.length, 4);
    assert.equal(metrics.backend, "cpu");
    assert.equal(metrics.provenance.seed, 5);
    assert.ok(metrics.images_per_sec > 0);
    // The test metrics repeat the last validation pass's method: same loss function, same rank rule.
    assert.ok(Number.isFinite(metrics.loss) && metrics.loss > 0);
    // predictions.csv: one top-1 class per test image, agreeing with the confusion matrix.
    const predictions = (await readPredictions(evalOut, 4))!;
    assert.equal(predictions.index.length, 40);
    const predicted = [0, 1, 2, 3].map((c) => predictions.prediction.filter((p) => p === c).length);
    assert.deepEqual(
      predicted,
      [0, 1, 2, 3].map((c) =>
        metrics.confusion.reduce((a: number, row: number[]) => a + row[c], 0)
      ),
    );
    assert.ok(predictions.confidence.every((p) => p >= 0.25 && p <= 1));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the train stage repeats its numbers exactly for the same seed on wasm, with dropout on", async () => {
  const root = await Deno.makeTempDir({ prefix: "cnnlab-stages-" });
  try {
    const inputs = await fixtureArtifacts(root);
    const model = { ...MODEL, fc_dropout: 0.3, conv_dropout: 0.1 };
    const history = async (name: string, seed: number) => {
      const outDir = await subdir(root, name);
      // wasm (XNNPACK, threads, composed conv gradients) is what runs use; with augmentation on.
      const stage = trainStage("wasm", { model, seed, augment: { crop_padding: 1, flip: true } });
      const workDir = await subdir(root, `${name}-work`);
      await train(
        (await stageContext(stage.params, { outDir, workDir, inputs, uses: stage.uses })).ctx,
      );
      assert.equal((await readJson(join(outDir, "train.json"))).backend, "wasm");
      const h = await readJson(join(outDir, "history.json"));
      const weights = await Deno.readFile(join(outDir, "weights", "weights.bin"));
      return {
        numbers: h.epochs.map((
          e: Record<string, number>,
        ) => [e.train_loss, e.train_acc, e.val_loss]),
        weights,
      };
    };
    const a = await history("a", 5);
    const b = await history("b", 5);
    const c = await history("c", 6);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.numbers, c.numbers);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the train stage succeeds on a diverging run and records status diverged", async () => {
  const root = await Deno.makeTempDir({ prefix: "cnnlab-stages-" });
  try {
    const inputs = await fixtureArtifacts(root);
    const trainOut = await subdir(root, "train");
    // A std of 1e-45 makes the normalizing scale 1 / (255 · std) overflow to Infinity: black
    // pixels become 0 · ∞ = NaN, and so does the very first loss.
    const stage = trainStage("cpu", { preprocess: { normalize: { mean: [0], std: [1e-45] } } });
    const t = await stageContext(stage.params, {
      outDir: trainOut,
      workDir: await subdir(root, "work"),
      inputs,
      uses: stage.uses,
    });
    await train(t.ctx);
    const info = await readJson(join(trainOut, "train.json"));
    assert.equal(info.status, "diverged");
    assert.equal(info.epochs, 0);
    assert.equal(info.divergence.epoch, 1);
    assert.equal(info.divergence.batch, 1);
    assert.match(
      info.message,
      /^Training diverged at epoch 1, batch 1 of 6: the loss is (NaN|Infinity)/,
    );
    assert.deepEqual((await readJson(join(trainOut, "history.json"))).epochs, []);
    assert.ok(t.logs.includes(info.message));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
