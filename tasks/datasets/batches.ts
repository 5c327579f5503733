import * as tf from "@tensorflow/tfjs-core";
import type { ImageSet } from "./image_set.ts";
import type { ChannelStats } from "./channel_stats.ts";
import { seededRandom, shuffleInPlace } from "./_random.ts";

/** Preprocessing applied to every batch (the `preprocess:` config section). */
export interface BatchPreprocess {
  /** Divide by 255 first. */
  scale: boolean;
  /** `train` uses {@linkcode BatchOptions.stats}; given stats are on the [0, 1] scale. */
  normalize: "none" | "train" | ChannelStats;
  /** Bilinear resize (half-pixel centres, as PyTorch and PIL) to [height, width]. */
  resize?: [number, number];
  /** Output channels: 1 → 3 replicates gray, 3 → 1 takes luminance (ITU-R 601). */
  channels?: 1 | 3;
}

/** Options of {@linkcode batches}. */
export interface BatchOptions {
  batchSize: number;
  /** Shuffle the order each epoch; the order depends only on (seed, epoch). */
  shuffle: boolean;
  seed: number;
  epoch: number;
  /** Skip this many batches (resuming mid-epoch). Default 0. */
  startBatch?: number;
  preprocess: BatchPreprocess;
  /** Train-split stats, required when `preprocess.normalize` is `train`. */
  stats?: ChannelStats;
  /** Seeded per (seed, epoch, batch), so a resumed epoch augments identically. Default: none. */
  augment?: { crop_padding: number; flip: boolean };
}

/** One batch: float32 NHWC images and int32 labels; the caller disposes both tensors. */
export interface Batch {
  x: tf.Tensor4D;
  y: tf.Tensor1D;
  size: number;
}

/** Number of batches {@linkcode batches} yields for `count` images (the last may be short). */
export function batchCount(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/**
 * Streams the images `index` selects as preprocessed batches. Only the index is copied per
 * epoch (to shuffle it); pixels are converted one batch at a time.
 *
 * @throws Error for a bad batch size, an index out of range, or stats that do not fit.
 */
export function* batches(set: ImageSet, index: Int32Array, opts: BatchOptions): Generator<Batch> {
  const { batchSize } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(
      `Cannot make batches of ${batchSize} images: batch_size must be a positive integer`,
    );
  }
  for (const i of index) {
    if (i < 0 || i >= set.count) {
      throw new Error(`Cannot make batches: index ${i} is outside the ${set.count} images`);
    }
  }
  const [h, w, cIn] = set.shape;
  const cOut = opts.preprocess.channels ?? cIn;
  const affine = channelAffine(opts, cOut);
  const order = opts.shuffle
    ? shuffleInPlace(index.slice(), seededRandom(opts.seed, opts.epoch, 0x5eed))
    : index;
  const total = batchCount(order.length, batchSize);
  const pad = opts.augment?.crop_padding ?? 0;
  const flip = opts.augment?.flip ?? false;
  for (let b = opts.startBatch ?? 0; b < total; b++) {
    const ids = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, order.length));
    const size = ids.length;
    const random = seededRandom(opts.seed, opts.epoch, b, 0xa06);
    const pixels = new Float32Array(size * h * w * cOut);
    const labels = new Int32Array(size);
    for (let n = 0; n < size; n++) {
      labels[n] = set.labels[ids[n]];
      // crop offset in [0, 2·pad] of the padded image, i.e. a shift in [-pad, pad]
      const dy = pad > 0 ? Math.floor(random() * (2 * pad + 1)) - pad : 0;
      const dx = pad > 0 ? Math.floor(random() * (2 * pad + 1)) - pad : 0;
      const mirror = flip && random() < 0.5;
      fillImage(set, ids[n], pixels, n * h * w * cOut, { dy, dx, mirror, cOut, affine });
    }
    let x = tf.tensor4d(pixels, [size, h, w, cOut]);
    const resize = opts.preprocess.resize;
    if (resize !== undefined && (resize[0] !== h || resize[1] !== w)) {
      const small = x;
      x = tf.image.resizeBilinear(small, resize, false, true);
      small.dispose();
    }
    yield { x, y: tf.tensor1d(labels, "int32"), size };
  }
}

/** out = raw · scale[k] + shift[k] per output channel, raw on 0..255. */
interface Affine {
  scale: Float32Array;
  shift: Float32Array;
}

function channelAffine(opts: BatchOptions, cOut: number): Affine {
  const unit = opts.preprocess.scale ? 1 / 255 : 1;
  const { normalize } = opts.preprocess;
  const stats = normalize === "none" ? null : normalize === "train" ? opts.stats : normalize;
  if (stats === undefined) {
    throw new Error(
      "Cannot normalize with 'train' statistics: none were given; pass the split artifact's " +
        "stats (loadSplitArtifact(dir).stats) as BatchOptions.stats",
    );
  }
  const scale = new Float32Array(cOut);
  const shift = new Float32Array(cOut);
  for (let k = 0; k < cOut; k++) {
    if (stats === null) {
      scale[k] = unit;
      continue;
    }
    if (stats.mean.length !== 1 && stats.mean.length !== cOut) {
      throw new Error(
        `Cannot normalize ${cOut}-channel images with ${stats.mean.length} means: give ` +
          `${cOut === 1 ? "1 value" : `1 or ${cOut} values`} (current mean is [${
            stats.mean.join(", ")
          }])`,
      );
    }
    const j = stats.mean.length === 1 ? 0 : k;
    // stats live on the [0, 1] scale; without `scale` the pixels stay on 0..255
    const mean = stats.mean[j] * (opts.preprocess.scale ? 1 : 255);
    const std = stats.std[j] * (opts.preprocess.scale ? 1 : 255);
    scale[k] = unit / std;
    shift[k] = -mean / std;
  }
  return { scale, shift };
}

function fillImage(
  set: ImageSet,
  image: number,
  out: Float32Array,
  at: number,
  t: { dy: number; dx: number; mirror: boolean; cOut: number; affine: Affine },
): void {
  const [h, w, cIn] = set.shape;
  const src = set.images;
  const base = image * h * w * cIn;
  const { scale, shift } = t.affine;
  for (let y = 0; y < h; y++) {
    const sy = y + t.dy;
    for (let x = 0; x < w; x++) {
      const sx = (t.mirror ? w - 1 - x : x) + t.dx;
      const o = at + (y * w + x) * t.cOut;
      const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
      const s = base + (sy * w + sx) * cIn;
      for (let k = 0; k < t.cOut; k++) {
        let raw = 0; // padding is black, as torchvision pads before normalizing
        if (inside) {
          if (cIn === t.cOut) raw = src[s + k];
          else if (cIn === 1) raw = src[s];
          else raw = 0.299 * src[s] + 0.587 * src[s + 1] + 0.114 * src[s + 2];
        }
        out[o + k] = raw * scale[k] + shift[k];
      }
    }
  }
}
