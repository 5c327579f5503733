import { seededRandom, shuffleInPlace } from "./_random.ts";

/** Options of {@linkcode splitDataset}; the same keys as the `split:` config section. */
export interface SplitDatasetOptions {
  /** Share held out for validation, in [0, 1). Default 0.2. */
  validation?: number;
  /** Split each class separately so both parts keep the class ratios. Default false. */
  stratified?: boolean;
  /** Seed of the draw. Default 0. */
  seed?: number;
  /** Keep at most this many images before splitting. Default: all. */
  limit?: number;
  /** Keep this share of the images before splitting. Default 1. */
  fraction?: number;
}

/** Indices into the training set, each sorted ascending. */
export interface DatasetSplit {
  trainIndex: Int32Array;
  valIndex: Int32Array;
}

/**
 * How many images each part of a split of `n` training images gets: the subset `limit` /
 * `fraction` keep (the smaller wins), then `validation` of it held out.
 */
export function splitCounts(
  n: number,
  options: SplitDatasetOptions = {},
): { keep: number; train: number; validation: number } {
  const keep = Math.min(
    options.limit ?? n,
    options.fraction === undefined ? n : Math.round(options.fraction * n),
    n,
  );
  const validation = Math.round((options.validation ?? 0.2) * keep);
  return { keep, train: keep - validation, validation };
}

/**
 * Splits a training set into train and validation indices. First a subset is drawn when
 * `limit`/`fraction` ask for one (the smaller wins), then `validation` of it is held out.
 * With `stratified`, both draws are made per class and each class gets floor or ceil of its
 * exact share (largest remainder), so ratios hold within one image. Same inputs, same split.
 *
 * @param labels class index of every training image
 * @throws Error when the options leave no training image.
 */
export function splitDataset(labels: Int32Array, options: SplitDatasetOptions = {}): DatasetSplit {
  const { validation = 0.2, stratified = false, seed = 0 } = options;
  const n = labels.length;
  const { keep, validation: valCount } = splitCounts(n, options);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const pool = stratified
    ? drawStratified(all, labels, keep, seededRandom(seed, 1))
    : shuffleInPlace(all, seededRandom(seed, 1)).slice(0, keep);
  const held = stratified
    ? drawStratified(pool, labels, valCount, seededRandom(seed, 2))
    : shuffleInPlace(pool.slice(), seededRandom(seed, 2)).slice(0, valCount);
  const inVal = new Set(held);
  const trainIndex = pool.filter((i) => !inVal.has(i)).sort();
  if (trainIndex.length === 0) {
    throw new Error(
      `Cannot split ${n} training images as the options leave none for training: ` +
        `current values are limit=${options.limit}, fraction=${options.fraction}, ` +
        `validation=${validation}`,
    );
  }
  return { trainIndex, valIndex: held.sort() };
}

/**
 * Draws `count` of `indices` so every class gets floor or ceil of its share: each class first
 * gets the floor, the leftover images go to the classes with the largest remainders (ties by
 * a seeded order, so no class is favoured by its number).
 */
function drawStratified(
  indices: Int32Array,
  labels: Int32Array,
  count: number,
  random: () => number,
): Int32Array {
  const byClass = new Map<number, number[]>();
  for (const i of indices) {
    const members = byClass.get(labels[i]);
    if (members) members.push(i);
    else byClass.set(labels[i], [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const share = count / indices.length;
  const quota = new Map(classes.map((c) => [c, Math.floor(share * byClass.get(c)!.length)]));
  let left = count - [...quota.values()].reduce((a, b) => a + b, 0);
  const tieBreak = new Map(classes.map((c) => [c, random()]));
  const byRemainder = classes
    .map((c) => ({ c, r: share * byClass.get(c)!.length - quota.get(c)! }))
    .sort((a, b) => b.r - a.r || tieBreak.get(a.c)! - tieBreak.get(b.c)!);
  for (const { c } of byRemainder) {
    if (left === 0) break;
    quota.set(c, quota.get(c)! + 1);
    left--;
  }
  const out: number[] = [];
  for (const c of classes) {
    const members = Int32Array.from(byClass.get(c)!);
    out.push(...shuffleInPlace(members, random).subarray(0, quota.get(c)!));
  }
  return Int32Array.from(out);
}
