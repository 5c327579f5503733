/**
 * Training throughput of one model on the active backend: Adam, random 28×28×1 images.
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel, parseModelOptions } from "../models/mod.ts";

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
 * ../shared/peers/torch_peer.py does in PyTorch.
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
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomNormal([batch, 28, 28, 1], 0, 1, "float32", 0);
  const labels = tf.tensor1d(Array.from({ length: batch }, (_, i) => (i * 7) % 10), "int32");
  const y = tf.oneHot(labels, 10);
  const step = async (): Promise<number> => {
    const cost = tf.tidy(() =>
      optimizer.minimize(() => {
        const logits = net.apply(x, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      }, true) as tf.Scalar
    );
    // Waits for asynchronous backends (WebGPU); dataSync() would need a canvas there.
    const value = (await cost.data())[0];
    cost.dispose();
    return value;
  };
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
  tf.dispose([x, labels, y]);
  optimizer.dispose();
  net.dispose();
  return { model, steps, seconds, imagesPerSec: (steps * batch) / seconds, loss };
}
