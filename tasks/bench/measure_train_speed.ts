/**
 * Training throughput of one model on the active backend: Adam, random 28×28×1 images, through
 * the same step the train stage runs (tasks/train/_train_step.ts).
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel, parseModelOptions } from "../models/mod.ts";
import { trainStep } from "../train/_train_step.ts";
import { createOptimizer } from "../train/create_optimizer.ts";
import { trainOptionsSchema } from "../train/train_options.ts";

/** Options of {@linkcode measureTrainSpeed}. */
export interface TrainSpeedOptions {
  /** Images per step. Default: 128 (as the PyTorch reference). */
  batchSize?: number;
  /** Untimed steps first (kernel setup, XNNPACK packing, JIT). Default: 2. */
  warmupSteps?: number;
  /** Timed steps at most. Default: 5. */
  steps?: number;
  /** Stop timing after the step that crosses this many seconds (at least one step). Default: 20. */
  maxSeconds?: number;
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
}

/**
 * Builds `model` (model zoo defaults, seed 0, input 28×28×1, 10 classes) and times training
 * steps of softmax cross-entropy with Adam (lr 1e-3) on the current tfjs backend, as
 * ../shared/peers/torch_peer.py does in PyTorch. Each step is the train stage's own: forward,
 * backward, optimizer update, and the loss and hit count read back (as the progress bar needs).
 */
export async function measureTrainSpeed(
  model: string,
  options: TrainSpeedOptions = {},
): Promise<TrainSpeed> {
  const batch = options.batchSize ?? 128;
  const net = buildModel(parseModelOptions({ name: model }), {
    inputShape: [28, 28, 1],
    classes: 10,
    seed: 0,
  });
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = createOptimizer(trainOptionsSchema.parse({ optimizer: "adam" }));
  const x = tf.randomNormal([batch, 28, 28, 1], 0, 1, "float32", 0);
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 7) % 10), "int32");
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
  tf.dispose([x, y]);
  optimizer.dispose();
  net.dispose();
  return { model, steps, seconds, imagesPerSec: (steps * batch) / seconds, loss };
}
