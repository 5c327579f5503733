/**
 * `preprocessing.json` of an exported model (`deno task export`): what images the model takes
 * and how to turn them into its input, exactly as training and the evaluate stage did —
 * `deno task predict` reads it, and so can any other program.
 *
 * Applied per image, in this order: convert channels (`channels`: gray → RGB repeats the gray
 * value, RGB → gray takes the ITU-R 601 luminance 0.299 R + 0.587 G + 0.114 B); divide by 255
 * when `scale`; normalize each channel as (x − mean) / std with `normalize` (`none`: skip;
 * `train`: `stats`, the training split's statistics; or the given mean and std), statistics on
 * the [0, 1] scale (× 255 when not `scale`); then resize bilinearly (half-pixel centres) to
 * `resize`. The result, NHWC float32, is `model_input`; the model outputs logits of
 * `class_names.length` classes (softmax gives probabilities).
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "./_json_file.ts";

const stats = z.object({
  mean: z.array(z.number()).min(1),
  std: z.array(z.number().positive()).min(1),
});
const shape = z.tuple([z.int().positive(), z.int().positive(), z.int().positive()]);

/** `preprocessing.json`. */
export const preprocessingSchema = z.object({
  format: z.literal(1),
  /** The images the model was trained on: `[height, width, channels]` (channels 1 or 3). */
  image_shape: shape,
  /** The model's input `[h, w, c]` after preprocessing. */
  model_input: shape,
  preprocess: z.object({
    scale: z.boolean(),
    normalize: z.union([z.literal("none"), z.literal("train"), stats]),
    resize: z.tuple([z.int().positive(), z.int().positive()]),
    channels: z.union([z.literal(1), z.literal(3)]),
  }),
  /** The training split's per-channel statistics (used when `normalize` is `train`). */
  stats: stats.nullable(),
  class_names: z.array(z.string()).min(1),
  dataset: z.string(),
  /** Where the model came from. */
  source: z.object({
    config: z.string(),
    run: z.string(),
    invocation: z.int().positive(),
    params: z.unknown(),
    train_fingerprint: z.string(),
    evaluate_fingerprint: z.string(),
  }),
  /** Its test-set numbers (from the evaluate stage). */
  test: z.object({ top1: z.number().nullable(), top5: z.number().nullable(), count: z.int() }),
});

/** An exported model's preprocessing. */
export type Preprocessing = z.output<typeof preprocessingSchema>;

/** The file name in an exported model's folder. */
export const PREPROCESSING_FILE = "preprocessing.json";

/** Writes `preprocessing.json` into `dir`, atomically. */
export function writePreprocessing(dir: string, value: z.input<typeof preprocessingSchema>) {
  return writeJsonFile(join(dir, PREPROCESSING_FILE), preprocessingSchema, value);
}

/** Reads `preprocessing.json` from an exported model's folder. */
export function readPreprocessing(dir: string): Promise<Preprocessing> {
  return readJsonFile(join(dir, PREPROCESSING_FILE), preprocessingSchema, `the model in ${dir}`);
}
