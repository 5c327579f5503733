/**
 * Training and evaluation throughput of one model on the active backend: random images, the
 * train stage's own step (tasks/train/_train_step.ts) and the evaluate stage's own loop
 * (tasks/train/evaluate_model.ts).
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel, type ModelOptions, parseModelOptions, summarizeModel } from "../models/mod.ts";
import { trainStep } from "../train/_train_step.ts";
import { createOptimizer } from "../train/create_optimizer.ts";
import { evaluateModel } from "../train/evaluate_model.ts";
import { trainOptionsSchema } from "../train/train_options.ts";
import type { BenchOptimizer } from "./bench_workloads.ts";
import { releasePooledMemory } from "../backends/release_pooled_memory.ts";
import { peakRssBytes, resetPeakRss } from "./peak_rss.ts";

/** Options of {@linkcode measureTrainSpeed}. */
export interface TrainSpeedOptions {
  /** Images per step. Default: 128 (as the PyTorch reference). */
  batchSize?: number;
  /** [h, w, c] of the input. Default: [28, 28, 1]. */
  inputShape?: [number, number, number];
  /** Output classes. Default: 10. */
  classes?: number;
  /** `train:` optimizer options (optimizer, momentum, nesterov, weight_decay). Default: adam. */
  train?: Partial<BenchOptimizer>;
  /** Untimed steps first (kernel setup, XNNPACK packing, JIT). Default: 2. */
  warmupSteps?: number;
  /** Timed steps at most. Default: 5. */
  steps?: number;
  /** Stop timing after the step that crosses this many seconds (at least one step). Default: 20. */
  maxSeconds?: number;
  /**
   * Also time inference at this batch size (the evaluate stage's loop) for up to `evalBatches`
   * batches after one untimed batch. Default: 0 (not timed).
   */
  evalBatchSize?: number;
  /** Timed inference batches at most. Default: 5. */
  evalBatches?: number;
  /** Per-kernel time of one extra training step (`tf.profile`). Default: false. */
  profile?: boolean;
  /** With `profile`: one entry per kernel and input shapes instead of per kernel. */
  profileByShape?: boolean;
}

/** One measurement. */
export interface TrainSpeed {
  model: string;
  /** Timed steps actually run. */
  steps: number;
  seconds: number;
  imagesPerSec: number;
  /** Loss after the last step (finite means the step really trained). */
  loss: number;
  /** Inference images/s, when `evalBatchSize` was given. */
  evalImagesPerSec?: number;
  /** Trainable parameters. */
  params: number;
  /** Multiply-adds of one image's forward pass (the model summary's count). */
  multAdds: number;
  /** Kernels of one step by total time: [name, ms, calls], when `profile` was set. */
  kernels?: [string, number, number][];
  /** The process's peak resident bytes up to the end of the timed training steps. */
  trainPeakRssBytes?: number;
  /** The peak resident bytes while inference was timed (from the end of training on). */
  evalPeakRssBytes?: number;
}

/**
 * Builds `model` (options or a zoo name with its defaults; seed 0) and times training steps of
 * softmax cross-entropy on the current tfjs backend, as tests/models/torch_parity's twins do in
 * PyTorch. Each step is the train stage's own: forward, backward, optimizer update, and the loss
 * and hit count read back (as the progress bar needs).
 */
export async function measureTrainSpeed(
  model: string | ModelOptions,
  options: TrainSpeedOptions = {},
): Promise<TrainSpeed> {
  const batch = options.batchSize ?? 128;
  const inputShape = options.inputShape ?? [28, 28, 1];
  const classes = options.classes ?? 10;
  const modelOptions = typeof model === "string" ? parseModelOptions({ name: model }) : model;
  const net = buildModel(modelOptions, { inputShape, classes, seed: 0 });
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const params = vars.reduce((s, v) => s + v.size, 0);
  const multAdds = summarizeModel(net, 1).multAdds;
  const optimizer = createOptimizer(
    trainOptionsSchema.parse({ optimizer: "adam", ...options.train }),
  );
  const x = tf.randomNormal([batch, ...inputShape], 0, 1, "float32", 0);
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 7) % classes), "int32");
  const stepOptions = {
    model: net,
    vars,
    optimizer,
    lr: 1e-3,
    fromLogits: true,
    labelSmoothing: 0,
    clipNorm: null,
  };
  const step = async (): Promise<number> => (await trainStep({ x, y }, stepOptions))[0];
  try {
    for (let i = 0; i < (options.warmupSteps ?? 2); i++) await step();
    const maxSteps = options.steps ?? 5;
    const maxSeconds = options.maxSeconds ?? 20;
    const start = performance.now();
    let steps = 0;
    let loss = NaN;
    while (steps < maxSteps) {
      loss = await step();
      steps++;
      if ((performance.now() - start) / 1000 > maxSeconds) break;
    }
    const seconds = (performance.now() - start) / 1000;
    const result: TrainSpeed = {
      model: modelOptions.name,
      steps,
      seconds,
      imagesPerSec: (steps * batch) / seconds,
      loss,
      params,
      multAdds,
      trainPeakRssBytes: peakRssBytes() ?? undefined,
    };
    if (options.profile) result.kernels = await profileStep(step, options.profileByShape ?? false);
    if (options.evalBatchSize) {
      // As the evaluate stage does first, before the peak restarts from what stays resident.
      releasePooledMemory();
      const phased = resetPeakRss();
      result.evalImagesPerSec = await evalSpeed(net, {
        batch: options.evalBatchSize,
        batches: options.evalBatches ?? 5,
        maxSeconds,
        inputShape,
        classes,
      });
      if (phased) result.evalPeakRssBytes = peakRssBytes() ?? undefined;
    }
    return result;
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    net.dispose();
  }
}

async function profileStep(
  step: () => Promise<number>,
  byShape: boolean,
): Promise<[string, number, number][]> {
  // tf.profile wants a synchronous body's tensors; the step's own awaits finish inside it.
  const info = await tf.profile(step as unknown as () => tf.TensorContainer);
  const byName = new Map<string, [number, number]>();
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
    const key = byShape ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
    const [t, n] = byName.get(key) ?? [0, 0];
    byName.set(key, [t + ms, n + 1]);
  }
  return [...byName].map(([k, [t, n]]): [string, number, number] => [k, t, n])
    .sort((a, b) => b[1] - a[1]);
}

async function evalSpeed(
  net: tf.LayersModel,
  o: {
    batch: number;
    batches: number;
    maxSeconds: number;
    inputShape: number[];
    classes: number;
  },
): Promise<number> {
  const x = tf.randomNormal([o.batch, ...o.inputShape], 0, 1, "float32", 1);
  const y = tf.tensor1d(Array.from({ length: o.batch }, (_, i) => i % o.classes), "int32");
  const stream = (n: number, deadline: number) => ({
    *[Symbol.iterator]() {
      for (let i = 0; i < n && performance.now() < deadline; i++) {
        yield { x: x.clone(), y: y.clone(), size: o.batch };
      }
    },
  });
  try {
    await evaluateModel(net, stream(1, Infinity), { classes: o.classes }); // untimed
    const deadline = performance.now() + o.maxSeconds * 1000;
    const r = await evaluateModel(net, stream(o.batches, deadline), {
      classes: o.classes,
      releasePooled: false, // the untimed batch's buffers serve the timed ones
    });
    return r.images_per_sec;
  } finally {
    tf.dispose([x, y]);
  }
}
