/**
 * `metrics.json` of the evaluate stage: the test set's loss, top-1/top-5, per-class accuracy
 * and confusion matrix.
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "./_json_file.ts";
import { provenanceSchema } from "./provenance.ts";

const num = z.number().nullable();

/** `metrics.json`. */
export const metricsSchema = z.object({
  loss: num,
  top1: num,
  top5: num,
  /** Accuracy per class; null for a class without test images. */
  per_class: z.array(z.unknown()).default([]),
  /** confusion[true][predicted] counts. */
  confusion: z.array(z.array(z.number())),
  class_names: z.array(z.string()),
  count: z.int().min(0),
  seconds: num.optional(),
  images_per_sec: num,
  backend: z.string(),
  provenance: provenanceSchema.optional(),
});

/** A run's `metrics.json`. */
export type Metrics = z.output<typeof metricsSchema>;

/** The file name in the evaluate stage's output. */
export const METRICS_FILE = "metrics.json";

/** Writes `metrics.json` into `dir`, atomically. */
export function writeMetrics(dir: string, metrics: z.input<typeof metricsSchema>): Promise<void> {
  return writeJsonFile(join(dir, METRICS_FILE), metricsSchema, metrics);
}

/** Reads `metrics.json` from the evaluate stage's output `dir`. */
export function readMetrics(dir: string, what: string): Promise<Metrics> {
  return readJsonFile(join(dir, METRICS_FILE), metricsSchema, what);
}
