/**
 * The fixture configurations the chart tests render: one epoch, 100 epochs, several seeds, sweeps
 * (a learning-rate sweep, a paired dropout sweep, a grid), 50 runs, and Chinese names.
 * @module
 */
import type { FixtureRun } from "./_fixture_runs.ts";

/** Lab report 000's six models, one epoch each (the committed mnist-all-reduced example). */
export const ONE_EPOCH: FixtureRun[] = [
  "lenet",
  "alexnet",
  "resnet",
  "vggnet",
  "densenet",
  "mobilenet",
]
  .map((name, i) => ({
    name,
    experiment: name,
    seed: 0,
    model: ["lenet", "alexnet", "cnn", "vgg", "nin", "cnn"][i],
    modelParams: { variant: name },
    top1: 0.9 + i * 0.012,
    epochs: 1,
    plannedEpochs: 1,
    reduced: "1 of 10 epochs, 10 % of the training data",
    lr: () => 0.004,
  }));

/** Two models over 100 epochs with step decay. */
export const HUNDRED_EPOCHS: FixtureRun[] = ["lenet", "cnn"].map((model, i) => ({
  name: model,
  experiment: model,
  seed: 0,
  model,
  top1: 0.85 + 0.05 * i,
  epochs: 100,
  lr: (e: number) => 0.01 * 0.1 ** Math.floor((e - 1) / 40),
}));

/** Two configurations with three seeds each, clearly apart on every seed. */
export const SEEDS_APART: FixtureRun[] = [
  ...[0.9, 0.905, 0.91].map((top1, s) => ({
    name: `resnet-seed=${s}`,
    experiment: "resnet",
    seed: s,
    model: "cnn",
    top1,
    epochs: 5,
  })),
  ...[0.8, 0.81, 0.805].map((top1, s) => ({
    name: `lenet-seed=${s}`,
    experiment: "lenet",
    seed: s,
    model: "lenet",
    top1,
    epochs: 5,
  })),
];

/** Two seeds each; the second configuration's seeds straddle the first's (51.6 ± 15.5 vs 50.1 ± 1.1). */
export const SEEDS_OVERLAPPING: FixtureRun[] = [
  ...[0.625, 0.407].map((top1, s) => ({
    name: `wide-seed=${s}`,
    experiment: "wide",
    seed: s,
    model: "cnn",
    top1,
    epochs: 3,
  })),
  ...[0.509, 0.494].map((top1, s) => ({
    name: `narrow-seed=${s}`,
    experiment: "narrow",
    seed: s,
    model: "lenet",
    top1,
    epochs: 3,
  })),
];

const lrs = [0.0001, 0.001, 0.01, 0.1];

/** A learning-rate sweep (2 seeds), a paired dropout sweep and a 2 × 3 grid: lab report 002. */
export const SWEEPS: FixtureRun[] = [
  ...lrs.flatMap((lr, i) =>
    [0, 1].map((s) => ({
      name: `cnn-lr=${lr}-seed=${s}`,
      experiment: "cnn",
      seed: s,
      model: "cnn",
      top1: [0.42, 0.46, 0.44, 0.2][i] + 0.01 * s,
      epochs: 4,
      sweep: { name: "lr", values: { "train.lr": lr } },
      trainParams: { lr },
      lr: () => lr,
    }))
  ),
  ...[[0, 0], [0.1, 0.3], [0.2, 0.5]].map(([conv, fc], i) => ({
    name: `resnet-conv_dropout=${conv}-fc_dropout=${fc}`,
    experiment: "resnet",
    seed: 0,
    model: "cnn",
    top1: [0.39, 0.43, 0.41][i],
    epochs: 4,
    sweep: { name: "dropout", values: { "model.conv_dropout": conv, "model.fc_dropout": fc } },
    modelParams: { conv_dropout: conv, fc_dropout: fc },
  })),
  ...[true, false].flatMap((bn, i) =>
    [8, 10, 12].map((depth, j) => ({
      name: `plain-bn=${bn}-depth=${depth}`,
      experiment: "plain",
      seed: 0,
      model: "vgg",
      top1: 0.3 + 0.1 * (1 - i) + 0.01 * j,
      epochs: 4,
      sweep: { name: "depth", values: { "model.batch_norm": bn, "model.depth": depth } },
      modelParams: { batch_norm: bn, depth },
    }))
  ),
];

/** 50 runs: 5 learning rates × 5 dropouts × 2 seeds. */
export const FIFTY_RUNS: FixtureRun[] = lrs.concat([1]).flatMap((lr, i) =>
  [0, 0.1, 0.2, 0.3, 0.5].flatMap((dropout, j) =>
    [0, 1].map((s) => ({
      name: `cnn-lr=${lr}-fc_dropout=${dropout}-seed=${s}`,
      experiment: "cnn",
      seed: s,
      model: "cnn",
      top1: 0.5 + 0.06 * i - 0.03 * j + 0.005 * s,
      epochs: 6,
      sweep: { name: "grid", values: { "train.lr": lr, "model.fc_dropout": dropout } },
      modelParams: { fc_dropout: dropout },
      trainParams: { lr },
    }))
  )
);

/** Chinese run and class names, as the lab reports write them. */
export const CJK_NAMES: FixtureRun[] = [["卷积网络", "lenet"], ["残差网络", "cnn"]].map((
  [name, model],
  i,
) => ({
  name,
  experiment: name,
  seed: 0,
  model,
  top1: 0.7 + 0.1 * i,
  epochs: 3,
  classNames: ["飞机", "汽车", "鸟", "猫", "鹿", "狗", "青蛙", "马", "船", "卡车"],
}));
