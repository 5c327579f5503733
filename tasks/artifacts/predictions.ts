/**
 * `predictions.json` of the evaluate stage: each test image's top-1 class and its softmax
 * probability, in test-set order (what `deno task predict` must reproduce for the same image).
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "./_json_file.ts";

/** `predictions.json`. */
export const predictionsSchema = z.object({
  /** Test images, in the data artifact's order. */
  count: z.int().min(0),
  /** Top-1 class index of each image. */
  classes: z.array(z.int().min(0)),
  /** Softmax probability of that class (6 decimals). */
  probabilities: z.array(z.number().min(0).max(1)),
}).refine((p) => p.classes.length === p.count && p.probabilities.length === p.count, {
  message: "classes and probabilities must each have `count` entries",
});

/** A run's test-set predictions. */
export type Predictions = z.output<typeof predictionsSchema>;

/** The file name in the evaluate stage's output. */
export const PREDICTIONS_FILE = "predictions.json";

/** Writes `predictions.json` into `dir`, atomically. */
export function writePredictions(
  dir: string,
  predictions: { classes: Int32Array; probabilities: Float32Array },
): Promise<void> {
  return writeJsonFile(join(dir, PREDICTIONS_FILE), predictionsSchema, {
    count: predictions.classes.length,
    classes: [...predictions.classes],
    probabilities: [...predictions.probabilities].map((p) => Math.round(p * 1e6) / 1e6),
  });
}

/** Reads `predictions.json` from the evaluate stage's output `dir`. */
export function readPredictions(dir: string, what: string): Promise<Predictions> {
  return readJsonFile(join(dir, PREDICTIONS_FILE), predictionsSchema, what);
}
