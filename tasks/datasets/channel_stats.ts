import type { ImageSet } from "./image_set.ts";

/** Per-channel mean and standard deviation on the [0, 1] scale. */
export interface ChannelStats {
  mean: number[];
  std: number[];
}

/**
 * Mean and (population) standard deviation of each channel over the images `index` selects,
 * with pixels scaled to [0, 1] — what `normalize: train` uses.
 */
export function channelStats(set: ImageSet, index: Int32Array): ChannelStats {
  const [h, w, c] = set.shape;
  const size = h * w * c;
  const sum = new Float64Array(c);
  const sumSq = new Float64Array(c);
  // Per-image integer sums stay exact; folding them into float64 once per image keeps rounding low.
  const imgSum = new Float64Array(c);
  const imgSq = new Float64Array(c);
  for (const n of index) {
    imgSum.fill(0);
    imgSq.fill(0);
    const base = n * size;
    for (let p = 0; p < size; p += c) {
      for (let k = 0; k < c; k++) {
        const v = set.images[base + p + k];
        imgSum[k] += v;
        imgSq[k] += v * v;
      }
    }
    for (let k = 0; k < c; k++) {
      sum[k] += imgSum[k];
      sumSq[k] += imgSq[k];
    }
  }
  const count = index.length * h * w;
  const mean: number[] = [];
  const std: number[] = [];
  for (let k = 0; k < c; k++) {
    const m = count === 0 ? 0 : sum[k] / count;
    const variance = count === 0 ? 0 : Math.max(0, sumSq[k] / count - m * m);
    mean.push(m / 255);
    std.push(Math.sqrt(variance) / 255);
  }
  return { mean, std };
}
