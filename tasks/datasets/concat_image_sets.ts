import type { ImageSet } from "./image_set.ts";

/** Joins image sets of the same shape, in order, into one new set. */
export function concatImageSets(sets: ImageSet[]): ImageSet {
  const count = sets.reduce((n, s) => n + s.count, 0);
  const size = sets[0].shape[0] * sets[0].shape[1] * sets[0].shape[2];
  const images = new Uint8Array(count * size);
  const labels = new Int32Array(count);
  let at = 0;
  for (const set of sets) {
    images.set(set.images, at * size);
    labels.set(set.labels, at);
    at += set.count;
  }
  return { images, labels, count, shape: sets[0].shape };
}
