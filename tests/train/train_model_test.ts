import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { trainModel, type TrainModelOptions } from "../../tasks/train/train_model.ts";
import { type TrainOptionsInput, trainOptionsSchema } from "../../tasks/train/train_options.ts";
import type { EpochRecord } from "../../tasks/artifacts/history.ts";
import { syntheticData, type SyntheticDataOptions, tinyModel, useCpu } from "./_fixtures.ts";

await useCpu();

function options(train: TrainOptionsInput, extra: Partial<TrainModelOptions> = {}) {
  return {
    train: trainOptionsSchema.parse({ lr: 0.01, batch_size: 16, ...train }),
    seed: 1,
    checkpointPath: null,
    ...extra,
  };
}

/** History without the wall-clock columns, which differ from run to run. */
function numbers(history: EpochRecord[]) {
  return history.map(({ seconds: _s, images_per_sec: _r, ...rest }) => rest);
}

async function run(train: TrainOptionsInput, data: SyntheticDataOptions = {}, seed = 1) {
  const model = tinyModel({ classes: data.classes });
  const lines: string[] = [];
  const result = await trainModel(
    model,
    syntheticData(data),
    options(train, { seed, log: (l) => lines.push(l) }),
  );
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { result, lines, weights };
}

Deno.test("trainModel() learns the synthetic classes and records every epoch", async () => {
  const { result, lines } = await run({ epochs: 6 });
  assert.equal(result.status, "ok");
  assert.deepEqual(result.flags, []);
  assert.deepEqual(result.history.map((h) => h.epoch), [1, 2, 3, 4, 5, 6]);
  assert.ok(result.history[5].val_top1! >= 0.9, `val top1 ${result.history[5].val_top1}`);
  assert.ok(result.history[5].train_loss < result.history[0].train_loss / 4);
  assert.equal(result.history[5].val_top5, 1); // 4 classes: the true one is always in the top 5
  assert.equal(result.epochs, 6);
  assert.ok(result.images_per_sec > 0 && result.seconds > 0);
  assert.match(lines[0], /^epoch 1\/6: train loss \d\.\d{4} acc \d+\.\d\d% \| val loss /);
});

Deno.test("trainModel() gives identical metrics and weights for the same seed, others for another", async () => {
  const a = await run({ epochs: 2 });
  const b = await run({ epochs: 2 });
  const c = await run({ epochs: 2 }, {}, 2);
  assert.deepEqual(numbers(a.result.history), numbers(b.result.history));
  assert.deepEqual(a.weights, b.weights);
  // Seed 2 changes only the dropout masks: the losses must move.
  assert.notEqual(a.result.history[0].train_loss, c.result.history[0].train_loss);
});

Deno.test("trainModel() leaks no tensor: the count after epoch 1 equals the count after epoch 3", async () => {
  const counts: number[] = [];
  const model = tinyModel();
  await trainModel(model, syntheticData(), {
    ...options({ epochs: 3, optimizer: "sgd", momentum: 0.9, clip_norm: 1, label_smoothing: 0.1 }),
    log: (l) => l.startsWith("epoch ") && counts.push(tf.memory().numTensors),
  });
  assert.equal(counts.length, 3);
  assert.equal(counts[0], counts[2]);
  model.dispose();
});

Deno.test("trainModel() stops on a NaN loss with status diverged and the weights of the epoch start", async () => {
  const clean = await run({ epochs: 1 });
  const bad = await run({ epochs: 3 }, { nanAtEpoch: 1 });
  assert.equal(bad.result.status, "diverged");
  assert.equal(bad.result.epochs, 1);
  assert.deepEqual(bad.result.divergence, { epoch: 2, batch: 1, loss: "NaN", lr: 0.01 });
  assert.equal(
    bad.result.message,
    "Training diverged at epoch 2, batch 1 of 6: the loss is NaN at lr 0.01. The weights from " +
      "the start of epoch 2 are kept; lower train.lr, set train.clip_norm or add a schedule.",
  );
  assert.equal(bad.lines.at(-1), bad.result.message);
  assert.deepEqual(bad.weights, clean.weights);
});

Deno.test("trainModel() flags stuck-at-chance after chance_patience epochs at chance accuracy", async () => {
  const data = { classes: 10, randomLabels: true, trainCount: 64, valCount: 400 };
  const { result, lines } = await run({ epochs: 3, lr: 1e-6, chance_patience: 2 }, data);
  assert.equal(result.status, "ok");
  assert.deepEqual(result.flags, ["stuck-at-chance"]);
  assert.ok(result.history.every((h) => h.val_top1! < 0.15));
  assert.equal(
    lines.filter((l) => l.startsWith("Warning: accuracy has stayed at chance")).length,
    1,
  );
  const learning = await run({ epochs: 3, chance_patience: 2 });
  assert.deepEqual(learning.result.flags, []);
});

Deno.test("trainModel() stops early when the monitor stops improving", async () => {
  const { result } = await run({
    epochs: 6,
    early_stopping: { monitor: "val_top1", patience: 2, min_delta: 0.5 },
  });
  assert.equal(result.status, "early-stopped");
  assert.equal(result.epochs, 3);
  assert.equal(result.best_epoch, 1);
  assert.equal(
    result.message,
    `Early stopping after epoch 3: val_top1 has not improved for 2 epochs (best ` +
      `${result.history[0].val_top1} at epoch 1)`,
  );
});

Deno.test("trainModel() follows the schedule: lr per epoch in the history", async () => {
  const { result } = await run({ epochs: 3, schedule: { type: "step", step_size: 1, gamma: 0.5 } });
  assert.deepEqual(result.history.map((h) => h.lr), [0.01, 0.005, 0.0025]);
});

Deno.test("trainModel() refuses a model whose outputs do not match the classes", async () => {
  await assert.rejects(
    () => trainModel(tinyModel({ classes: 3 }), syntheticData({ classes: 4 }), options({})),
    { message: "Cannot train a model with 3 outputs on data with 4 classes" },
  );
});

Deno.test("trainModel() refuses a validation monitor when there is no validation set", async () => {
  await assert.rejects(
    () =>
      trainModel(
        tinyModel(),
        syntheticData({ valCount: 0 }),
        options({ early_stopping: { monitor: "val_top1" } }),
      ),
    {
      message: "Cannot monitor train.early_stopping.monitor 'val_top1': the split has no " +
        "validation set; set split.validation > 0 or monitor train_acc",
    },
  );
});

Deno.test("trainModel() stops when aborted and keeps the last epoch's checkpoint", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const checkpointPath = `${dir}/c.ckpt`;
    const controller = new AbortController();
    await assert.rejects(
      () =>
        trainModel(tinyModel(), syntheticData(), {
          ...options({ epochs: 3 }),
          checkpointPath,
          signal: controller.signal,
          log: (l) => l.startsWith("epoch 1/") && controller.abort(new Error("interrupted")),
        }),
      { message: "interrupted" },
    );
    const lines: string[] = [];
    const resumed = await trainModel(tinyModel(), syntheticData(), {
      ...options({ epochs: 3 }),
      checkpointPath,
      log: (l) => lines.push(l),
    });
    assert.equal(resumed.resumed_from_epoch, 1);
    assert.equal(lines[0], "Resuming from the checkpoint after epoch 1 of 3");
    const fresh = await run({ epochs: 3 });
    assert.deepEqual(numbers(resumed.history), numbers(fresh.result.history));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("trainModel() restarted after a finished run trains no further and returns its history", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const checkpointPath = `${dir}/c.ckpt`;
    const first = await trainModel(tinyModel(), syntheticData(), {
      ...options({ epochs: 2 }),
      checkpointPath,
    });
    const model = tinyModel();
    let batches = 0;
    const again = await trainModel(model, syntheticData(), {
      ...options({ epochs: 2 }),
      checkpointPath,
      progress: () => batches++,
    });
    assert.equal(batches, 0);
    assert.equal(again.resumed_from_epoch, 2);
    assert.deepEqual(again.history, first.history);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
