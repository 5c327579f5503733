/**
 * Generates train/evaluate stage output directories with realistic, deterministic numbers, and
 * the report params that describe them. The numbers are internally consistent: top-1 equals the
 * confusion matrix's trace / total, and train.json's epochs equal the history length.
 * @module
 */
import { join } from "node:path";
import { writePredictions } from "../../tasks/artifacts/predictions.ts";
import { writeHistory } from "../../tasks/artifacts/history.ts";
import { writeMetrics } from "../../tasks/artifacts/metrics.ts";
import { writeModelSummary } from "../../tasks/artifacts/model_summary.ts";
import type { Provenance } from "../../tasks/artifacts/provenance.ts";
import { writeTrainInfo } from "../../tasks/artifacts/train_info.ts";

/** The provenance every fixture artifact carries (as the stages write it). */
const PROVENANCE: Provenance = {
  backend: "wasm",
  backend_detail: "XNNPACK SIMD, 2 threads",
  tfjs: "4.22.0",
  deno: "2.9.6",
  seed: 0,
  params: {},
  runtime: { backend: "wasm" },
};

/** Fashion-MNIST's classes: the fixtures look like a real 10-class run. */
export const CLASS_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];

/** Model names of the fixtures; a model's parameter count depends on its position here. */
const MODELS = ["lenet", "cnn", "alexnet", "vgg", "nin"];

/** How one fixture run behaves. */
export interface FixtureRun {
  name: string;
  experiment: string;
  seed: number;
  model: string;
  /** Classes of the dataset. Default: 10 (Fashion-MNIST's names). */
  classes?: number;
  /** Final test top-1 the confusion matrix is built to reach (rounded to 1 / images). */
  top1: number;
  epochs: number;
  plannedEpochs?: number;
  sweep?: { name: string; values: Record<string, number | string | boolean> };
  status?: "ok" | "diverged" | "early-stopped";
  reduced?: string;
  /** Extra model params (they make runs differ for seed grouping). */
  modelParams?: Record<string, number | string | boolean>;
  /** Extra train params. */
  trainParams?: Record<string, number | string | boolean>;
  /** Learning rate per epoch. Default: 0.001 halved every 2 epochs. */
  lr?: (epoch: number) => number;
  /** Class names instead of Fashion-MNIST's (or class-000 … for other counts). */
  classNames?: string[];
  /** The run's `assumptions` param. */
  assumptions?: string[];
}

/** The runs most tests use: 3 seeds, a 3-point dropout sweep, a diverged, a stuck, a reduced run. */
export const STANDARD_RUNS: FixtureRun[] = [
  { name: "lenet-seed=1", experiment: "lenet", seed: 1, model: "lenet", top1: 0.894, epochs: 4 },
  { name: "lenet-seed=2", experiment: "lenet", seed: 2, model: "lenet", top1: 0.887, epochs: 4 },
  { name: "lenet-seed=3", experiment: "lenet", seed: 3, model: "lenet", top1: 0.901, epochs: 4 },
  ...[[0, 0, 0.861], [0.2, 0.2, 0.905], [0.3, 0.7, 0.412]].map(([conv, fc, top1]) => ({
    name: `cnn-conv_dropout=${conv}-fc_dropout=${fc}-seed=1`,
    experiment: "cnn",
    seed: 1,
    model: "cnn",
    top1,
    epochs: 4,
    sweep: { name: "dropout", values: { "model.conv_dropout": conv, "model.fc_dropout": fc } },
    modelParams: { conv_dropout: conv, fc_dropout: fc },
  })),
  {
    name: "alexnet-seed=1",
    experiment: "alexnet",
    seed: 1,
    model: "alexnet",
    top1: 0.912,
    epochs: 2,
    plannedEpochs: 10,
    reduced: "2 of 10 epochs, 10 % of training data",
  },
  {
    name: "vgg-lr=0.5-seed=1",
    experiment: "vgg",
    seed: 1,
    model: "vgg",
    top1: 0.1,
    epochs: 3,
    status: "diverged",
  },
  { name: "nin-seed=1", experiment: "nin", seed: 1, model: "nin", top1: 0.104, epochs: 4 },
];

/** Deterministic PRNG (mulberry32) so fixtures are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A made-up 64-hex fingerprint; fixture dirs sit where the engine's cache puts stage outputs,
 * `entries/<fingerprint>/out`.
 */
export function fixtureFingerprint(kind: "train" | "evaluate", index: number): string {
  const head = (kind === "train" ? "7a" : "e4") + index.toString(16).padStart(2, "0");
  return head + "0123456789abcdef".repeat(4).slice(head.length);
}

/** The params the report stage receives for these runs. */
export function fixtureParams(runs: readonly FixtureRun[], options: Record<string, unknown> = {}) {
  return {
    config: { name: "fixture", path: "configs/fixture.yaml", hash: "c0ffee00".repeat(8) },
    options,
    runs: runs.map((r) => ({
      name: r.name,
      experiment: r.experiment,
      data: `data:${r.name}`,
      ...(r.sweep ? { sweep: r.sweep } : {}),
      seed: r.seed,
      params: {
        data: { dataset: "fashion-mnist" },
        model: { name: r.model, ...(r.modelParams ?? {}) },
        train: {
          optimizer: "adam",
          lr: 0.001,
          batch_size: 128,
          epochs: r.plannedEpochs ?? r.epochs,
          ...(r.trainParams ?? {}),
        },
        backend: "wasm",
        seed: r.seed,
        ...(r.assumptions ? { assumptions: r.assumptions } : {}),
      },
      ...(r.reduced ? { reduced: r.reduced } : {}),
    })),
    provenance: {
      deno: "2.9.6",
      tfjs: "4.22.0",
      backend: "wasm",
      machine: "test machine, 2 cores",
      date: "2026-11-24T06:00:00.000Z",
      // As the report stage adds them: input name → the engine's fingerprint of that stage.
      fingerprints: Object.fromEntries(
        runs.flatMap((r, i) => [
          [`train:${r.name}`, fixtureFingerprint("train", i)],
          [`evaluate:${r.name}`, fixtureFingerprint("evaluate", i)],
        ]),
      ),
    },
  };
}

/**
 * Writes `train/<run>/` and `evaluate/<run>/` (with predictions.csv) under `root` for each run,
 * and one data artifact per class count (meta.json and test-images.u8 only: what the report
 * reads) whose test images are image k of class c at index 100 c + k.
 * @returns the stage inputs: `train:<run>`, `evaluate:<run>` and `data:<run>` (each run's `data` input) → directory
 */
export async function writeFixtureRuns(
  root: string,
  runs: readonly FixtureRun[],
): Promise<Record<string, string>> {
  const inputs: Record<string, string> = {};
  for (const [index, run] of runs.entries()) {
    const rand = random(1000 + index * 7919 + run.seed);
    const trainDir = join(root, "entries", fixtureFingerprint("train", index), "out");
    const evaluateDir = join(root, "entries", fixtureFingerprint("evaluate", index), "out");
    await Deno.mkdir(join(trainDir, "weights"), { recursive: true });
    await Deno.mkdir(evaluateDir, { recursive: true });
    inputs[`train:${run.name}`] = trainDir;
    inputs[`evaluate:${run.name}`] = evaluateDir;

    // Like the train stage, a diverged run keeps the epochs before the one whose loss stopped
    // being finite, and says where in train.json's `divergence`.
    const diverged = run.status === "diverged";
    const completed = diverged ? run.epochs - 1 : run.epochs;
    const epochs = Array.from({ length: completed }, (_, i) => {
      const e = i + 1;
      const progress = 1 - Math.exp(-0.9 * e);
      const val = Math.min(0.999, run.top1 * (0.9 + 0.1 * progress) + (rand() - 0.5) * 0.01);
      return {
        epoch: e,
        train_loss: 2.3 * Math.exp(-0.8 * e) + 0.2 + rand() * 0.02,
        train_acc: Math.min(0.999, val + 0.02),
        val_loss: 2.3 * Math.exp(-0.7 * e) + 0.25 + rand() * 0.02,
        val_top1: val,
        val_top5: Math.min(1, val + 0.08),
        lr: run.lr ? run.lr(e) : 0.001 * 0.5 ** Math.floor(i / 2),
        seconds: 20 + rand() * 2,
        images_per_sec: 2400 + rand() * 100,
      };
    });
    await writeHistory(trainDir, epochs, PROVENANCE);
    const params = 61706 + 1000 * MODELS.indexOf(run.model);
    await writeTrainInfo(
      trainDir,
      {
        status: run.status ?? "ok",
        flags: run.top1 < 0.15 && !diverged ? ["stuck-at-chance"] : [],
        message: diverged ? "Training diverged at epoch 3, batch 17 of 469" : null,
        divergence: diverged ? { epoch: run.epochs, batch: 17, loss: "NaN", lr: 0.5 } : null,
        epochs: completed,
        planned_epochs: run.plannedEpochs ?? run.epochs,
        seconds: epochs.reduce((a, e) => a + e.seconds, 0),
        images_per_sec: 2450.5 + index,
        params,
        backend: "wasm",
        provenance: PROVENANCE,
      },
    );
    await writeModelSummary(
      trainDir,
      {
        rows: [
          {
            name: "conv1",
            type: "Conv2D",
            outputShape: [null, 28, 28, 6],
            params: 156,
            multAdds: 117600,
          },
          {
            name: "pool1",
            type: "MaxPooling2D",
            outputShape: [null, 14, 14, 6],
            params: 0,
            multAdds: 0,
          },
          { name: "flatten", type: "Flatten", outputShape: [null, 1176], params: 0, multAdds: 0 },
          {
            name: "fc",
            type: "Dense",
            outputShape: [null, 10],
            params: params - 156,
            multAdds: params - 156,
          },
        ],
        totalParams: params,
        trainableParams: params,
        multAdds: 117600 + params - 156,
      },
    );

    // Confusion: 100 images per class, `correct` spread so the trace is exactly top1 × images.
    const classes = run.classNames?.length ?? run.classes ?? 10;
    const names = run.classNames ??
      (classes === 10
        ? CLASS_NAMES
        : Array.from({ length: classes }, (_, c) => `class-${String(c).padStart(3, "0")}`));
    inputs[`data:${run.name}`] = await fixtureData(root, names);
    const images = 100 * classes;
    const correctTotal = Math.round(run.top1 * images);
    const confusion = names.map((_, c) => {
      const correct = Math.floor(correctTotal / classes) + (c < correctTotal % classes ? 1 : 0);
      const row = new Array(classes).fill(0);
      row[c] = correct;
      let wrong = 100 - correct;
      while (wrong > 0) {
        const j = Math.floor(rand() * classes);
        if (j === c) continue;
        row[j]++;
        wrong--;
      }
      return row;
    });
    const top1 = correctTotal / images;
    // Predictions in test order (class c holds images 100 c … 100 c + 99): the row's correct
    // images first, then its mistakes column by column, each with a made-up confidence.
    const predicted = confusion.flatMap((row) => row.flatMap((count, j) => Array(count).fill(j)));
    await writePredictions(evaluateDir, {
      index: Int32Array.from({ length: images }, (_, i) => i),
      label: Int32Array.from({ length: images }, (_, i) => Math.floor(i / 100)),
      prediction: Int32Array.from(predicted),
      confidence: Float32Array.from({ length: images }, () => 0.3 + 0.7 * rand()),
    });
    await writeMetrics(
      evaluateDir,
      {
        loss: diverged ? null : 0.28 + (1 - top1) * 1.5 + rand() * 0.01,
        top1,
        top5: Math.min(1, top1 + 0.07 + rand() * 0.01),
        per_class: confusion.map((row, c) => row[c] / 100),
        confusion,
        class_names: names,
        images_per_sec: 9000 + index,
        count: images,
        backend: "wasm",
      },
    );
  }
  return inputs;
}

/** Side of the fixture test images: 28 (like MNIST) up to 10 classes, else 8. */
function fixtureSide(classes: number): number {
  return classes <= 10 ? 28 : 8;
}

/**
 * Writes (once per class list) a data artifact of 100 grey test images per class: image k of
 * class c is a bar whose position depends on c and brightness on k, so images differ visibly.
 * @returns its directory
 */
async function fixtureData(root: string, names: readonly string[]): Promise<string> {
  const classes = names.length;
  const dir = join(root, "data", `${classes}-${names[0].codePointAt(0)}`);
  try {
    await Deno.stat(join(dir, "meta.json"));
    return dir;
  } catch {
    // not written yet
  }
  await Deno.mkdir(dir, { recursive: true });
  const side = fixtureSide(classes);
  const pixels = new Uint8Array(100 * classes * side * side);
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < 100; k++) {
      const image = (c * 100 + k) * side * side;
      const column = Math.floor(((c % 10) + 0.5) * side / 10);
      for (let y = 2; y < side - 2; y++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = Math.min(side - 1, Math.max(0, column + dx));
          pixels[image + y * side + x] = 120 + (k % 100);
        }
      }
    }
  }
  await Deno.writeFile(join(dir, "test-images.u8"), pixels);
  await Deno.writeTextFile(
    join(dir, "meta.json"),
    JSON.stringify({
      dataset: "fashion-mnist",
      shape: [side, side, 1],
      counts: { train: 0, test: 100 * classes },
      classNames: names,
    }),
  );
  return dir;
}
