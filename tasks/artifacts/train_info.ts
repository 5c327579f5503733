/**
 * `train.json` of the train stage: how the run ended and what it was.
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { readJsonFile, writeJsonFile } from "./_json_file.ts";
import { provenanceSchema } from "./provenance.ts";

const num = z.number().nullable();

/** `train.json`. */
export const trainInfoSchema = z.object({
  /** ok, diverged, early-stopped, … */
  status: z.string(),
  flags: z.array(z.string()).default([]),
  /** Why the run stopped when it did not finish normally. */
  message: z.string().nullable().optional(),
  /** Epochs trained. */
  epochs: z.int().min(0),
  /** The epochs the run asked for (train.epochs). */
  planned_epochs: z.int().min(0).optional(),
  seconds: num,
  images_per_sec: num,
  /** Parameter count of the model. */
  params: z.int().min(0),
  backend: z.string(),
  /** Where the loss stopped being finite (the diverging epoch is not in the history). */
  divergence: z.object({
    epoch: z.number(),
    batch: z.number().optional(),
    loss: z.string().or(z.number()).nullable().optional(),
    lr: z.number().nullable().optional(),
  }).nullable().optional(),
  best_epoch: z.number().nullable().optional(),
  resumed_from_epoch: z.number().nullable().optional(),
  /** The model's input `[h, w, c]` after preprocessing. */
  input_shape: z.array(z.number()).optional(),
  /** The preprocessing the model was trained with (evaluate and predict apply the same). */
  preprocess: z.unknown().optional(),
  provenance: provenanceSchema.optional(),
});

/** A run's `train.json`. */
export type TrainInfo = z.output<typeof trainInfoSchema>;

/** The file name in the train stage's output. */
export const TRAIN_INFO_FILE = "train.json";

/** Writes `train.json` into `dir`, atomically. */
export function writeTrainInfo(dir: string, info: z.input<typeof trainInfoSchema>): Promise<void> {
  return writeJsonFile(join(dir, TRAIN_INFO_FILE), trainInfoSchema, info);
}

/** Reads `train.json` from the train stage's output `dir`. */
export function readTrainInfo(dir: string, what: string): Promise<TrainInfo> {
  return readJsonFile(join(dir, TRAIN_INFO_FILE), trainInfoSchema, what);
}
