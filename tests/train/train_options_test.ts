import assert from "node:assert/strict";
import { evaluateOptionsSchema, trainOptionsSchema } from "../../tasks/train/train_options.ts";

function firstIssue(input: unknown) {
  const r = trainOptionsSchema.safeParse(input);
  assert.equal(r.success, false);
  const issue = r.error!.issues[0];
  return { path: issue.path.join("."), message: issue.message };
}

Deno.test("trainOptionsSchema fills every default in one place", () => {
  assert.deepEqual(trainOptionsSchema.parse({}), {
    optimizer: "adam",
    lr: 0.001,
    momentum: 0,
    nesterov: false,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weight_decay: 0,
    batch_size: 64,
    epochs: 10,
    schedule: { type: "none" },
    early_stopping: null,
    label_smoothing: 0,
    clip_norm: null,
    chance_patience: 3,
  });
  assert.deepEqual(evaluateOptionsSchema.parse({}), { batch_size: 256 });
});

Deno.test("trainOptionsSchema accepts lab report 002's ReduceLROnPlateau", () => {
  const t = trainOptionsSchema.parse({
    lr: 0.015,
    batch_size: 128,
    schedule: {
      type: "plateau",
      mode: "max",
      monitor: "val_top1",
      factor: 0.1,
      patience: 2,
      threshold: 0.0001,
      min_lr: 1e-8,
    },
  });
  assert.deepEqual(t.schedule, {
    type: "plateau",
    mode: "max",
    monitor: "val_top1",
    factor: 0.1,
    patience: 2,
    threshold: 0.0001,
    min_lr: 1e-8,
  });
});

Deno.test("trainOptionsSchema fills schedule and early-stopping defaults", () => {
  const t = trainOptionsSchema.parse({
    schedule: { type: "cosine" },
    early_stopping: {},
  });
  assert.deepEqual(t.schedule, { type: "cosine", eta_min: 0 });
  assert.deepEqual(t.early_stopping, { monitor: "val_loss", patience: 5, min_delta: 0 });
  assert.deepEqual(trainOptionsSchema.parse({ schedule: { type: "step" } }).schedule, {
    type: "step",
    step_size: 10,
    gamma: 0.1,
  });
});

Deno.test("trainOptionsSchema rejects a plateau mode that contradicts its monitor", () => {
  assert.deepEqual(firstIssue({ schedule: { type: "plateau", monitor: "val_top1" } }), {
    path: "schedule.mode",
    message: "mode 'min' does not fit monitor 'val_top1' (it would lower lr while it improves): " +
      "set mode: max",
  });
});

Deno.test("trainOptionsSchema rejects nesterov without sgd momentum", () => {
  assert.deepEqual(firstIssue({ optimizer: "sgd", nesterov: true }), {
    path: "nesterov",
    message:
      "nesterov needs optimizer 'sgd' with momentum > 0: current optimizer is 'sgd', momentum 0",
  });
});

Deno.test("trainOptionsSchema rejects unknown keys, bad values and unknown schedules", () => {
  assert.equal(firstIssue({ learning_rate: 0.1 }).message, 'Unrecognized key: "learning_rate"');
  assert.equal(firstIssue({ lr: 0 }).path, "lr");
  assert.equal(firstIssue({ label_smoothing: 1 }).path, "label_smoothing");
  assert.equal(firstIssue({ batch_size: 1.5 }).path, "batch_size");
  assert.equal(firstIssue({ schedule: { type: "linear" } }).path, "schedule.type");
  assert.equal(firstIssue({ schedule: { type: "step", gamma: 0.5, t_max: 3 } }).path, "schedule");
});
