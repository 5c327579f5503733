/**
 * The preprocessing a model actually gets: the run's `preprocess:` with `resize` and `channels`
 * defaulted to what the model needs for this data set.
 * @module
 */
import type { BatchPreprocess } from "../datasets/batches.ts";
import type { PreprocessOptions } from "../datasets/options_schemas.ts";
import { preprocessedShape } from "../datasets/preprocessed_shape.ts";

/** What {@link resolvePreprocess} returns. */
export interface ResolvedPreprocess {
  /** Options for `batches()`: resize and channels always set. */
  preprocess: BatchPreprocess;
  /** [h, w, c] of the preprocessed images: the model's input shape. */
  inputShape: [number, number, number];
}

/**
 * Fills `preprocess.resize` / `preprocess.channels` from the input the model wants (`wanted`,
 * its family's input rule applied to the data shape) where the run leaves them out; explicit
 * values win (ARCHITECTURE.md: "resize/channels default to the model's needs"). Train and
 * evaluate call this alike so they feed the same pixels.
 */
export function resolvePreprocess(
  wanted: [number, number, number],
  preprocess: PreprocessOptions,
  dataShape: [number, number, number],
): ResolvedPreprocess {
  const [h, w, c] = wanted;
  const resolved: BatchPreprocess = {
    scale: preprocess.scale,
    normalize: preprocess.normalize,
    resize: preprocess.resize ?? [h, w],
    channels: preprocess.channels ?? (c as 1 | 3),
  };
  return { preprocess: resolved, inputShape: preprocessedShape(dataShape, resolved) };
}
