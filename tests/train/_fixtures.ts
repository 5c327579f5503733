/** Tiny models and synthetic data for the training tests (cpu backend, seconds per test). */
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { Batch } from "../../tasks/train/batch.ts";
import type { TrainData } from "../../tasks/train/train_model.ts";
import { mulberry32 } from "../../tasks/train/seeded_math_random.ts";

/** Switches tfjs to the pure-JS backend, which has every gradient kernel. */
export async function useCpu(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

/** Options of {@link tinyModel}. */
export interface TinyModelOptions {
  classes?: number;
  /** Dropout before the classifier; default 0.25 so that tests exercise seeded dropout. */
  dropout?: number;
  seed?: number;
  /** Add a batch-norm layer (default true): its moving statistics must survive a resume. */
  batchNorm?: boolean;
}

/** [b,8,8,1] → conv 4@3×3 → (BN) → relu → maxpool → flatten → dropout → dense(classes) logits. */
export function tinyModel(options: TinyModelOptions = {}): tfl.LayersModel {
  const { classes = 4, dropout = 0.25, seed = 1, batchNorm = true } = options;
  const model = tfl.sequential();
  model.add(tfl.layers.conv2d({
    inputShape: [8, 8, 1],
    filters: 4,
    kernelSize: 3,
    kernelInitializer: tfl.initializers.glorotUniform({ seed }),
  }));
  if (batchNorm) model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.activation({ activation: "relu" }));
  model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tfl.layers.flatten());
  if (dropout > 0) model.add(tfl.layers.dropout({ rate: dropout }));
  model.add(tfl.layers.dense({
    units: classes,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }),
  }));
  return model;
}

/** Options of {@link syntheticData}. */
export interface SyntheticDataOptions {
  trainCount?: number;
  valCount?: number;
  classes?: number;
  batchSize?: number;
  seed?: number;
  /** Labels unrelated to the images: nothing to learn. Default false. */
  randomLabels?: boolean;
  /** Put a NaN into every image of this 0-based training epoch. Default: never. */
  nanAtEpoch?: number;
}

/**
 * 8×8×1 images whose class c lights up row 2c (plus noise), so a tiny conv net learns them
 * within a few epochs; training order reshuffled per epoch from (seed, epoch).
 */
export function syntheticData(options: SyntheticDataOptions = {}): TrainData {
  const {
    trainCount = 96,
    valCount = 32,
    classes = 4,
    batchSize = 16,
    seed = 7,
    randomLabels = false,
    nanAtEpoch = -1,
  } = options;
  const make = (count: number, s: number) => {
    const rand = mulberry32(s);
    const images = new Float32Array(count * 64);
    const labels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const c = i % classes;
      labels[i] = randomLabels ? Math.floor(rand() * classes) : c;
      for (let p = 0; p < 64; p++) images[i * 64 + p] = 0.3 * rand();
      for (let col = 0; col < 8; col++) images[i * 64 + (2 * c % 8) * 8 + col] += 1;
    }
    return { images, labels };
  };
  const trainSet = make(trainCount, seed);
  const valSet = make(valCount, seed + 1000);
  function* batches(
    set: typeof trainSet,
    order: number[],
    poison: boolean,
    startBatch = 0,
  ): Generator<Batch> {
    for (let start = startBatch * batchSize; start < order.length; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      const x = new Float32Array(idx.length * 64);
      const y = new Int32Array(idx.length);
      idx.forEach((k, j) => {
        x.set(set.images.subarray(k * 64, k * 64 + 64), j * 64);
        y[j] = set.labels[k];
      });
      if (poison) x[0] = NaN;
      yield {
        x: tf.tensor4d(x, [idx.length, 8, 8, 1]),
        y: tf.tensor1d(y, "int32"),
        size: idx.length,
      };
    }
  }
  return {
    classes,
    trainCount,
    valCount,
    trainBatches(epoch, startBatch) {
      const rand = mulberry32(seed * 1000 + epoch);
      const order = Array.from({ length: trainCount }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      return batches(trainSet, order, epoch === nanAtEpoch, startBatch);
    },
    valBatches() {
      return batches(valSet, Array.from({ length: valCount }, (_, i) => i), false);
    },
  };
}
