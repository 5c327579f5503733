/**
 * The schema of one run's parameters: the sections every area owns, composed. Keys are
 * snake_case; every section has defaults except `data.dataset` and `model.name`.
 * @module
 */
import { z } from "zod";
import { backendSchema } from "./backends/backend_names.ts";
import {
  augmentOptionsSchema,
  dataOptionsSchema,
  preprocessOptionsSchema,
  splitOptionsSchema,
} from "./datasets/options_schemas.ts";
import { modelOptionsSchema } from "./models/model_families.ts";
import { evaluateOptionsSchema, trainOptionsSchema } from "./train/train_options.ts";

/** One run: data → split → train → evaluate, with its model, backend and seed. */
export const runSchema = z.strictObject({
  data: dataOptionsSchema,
  split: splitOptionsSchema.prefault({}),
  preprocess: preprocessOptionsSchema.prefault({}),
  augment: augmentOptionsSchema.prefault({}),
  model: modelOptionsSchema,
  train: trainOptionsSchema.prefault({}),
  evaluate: evaluateOptionsSchema.prefault({}),
  /** `auto` picks the fastest backend present (see tasks/backends/resolve_backend.ts). */
  backend: backendSchema.default("auto"),
  /** Seeds initialization, shuffling, augmentation and dropout. */
  seed: z.int().default(0),
  /**
   * Epochs of the experiment this run reproduces (e.g. the lab report's 10) when the run trains
   * fewer: the report then labels it "reduced: 2 of 10 epochs". Read only by the report.
   */
  reference_epochs: z.int().positive().optional(),
  /**
   * Why this run is not run here (its estimated time on this machine, a data set that cannot be
   * had): the planner leaves its stages out and the report lists it as not run, with the reason.
   * Read only by the planner and the report.
   */
  skip: z.string().trim().min(1, "give the reason the run is skipped").optional(),
  /**
   * Fraction of the training data the reproduced experiment itself used (lab report 004 trains on
   * 10 % subsets): a `split.fraction` at least this large is not labelled "reduced". Read only by
   * the report.
   */
  reference_fraction: z.number().gt(0).max(1).optional(),
  /**
   * What this run assumes where its source does not say (free text, e.g. "batch size 64: lab
   * report 004 does not state it"); listed in the report's setup section. An experiment's list
   * replaces the one in `defaults:` (lists do not merge); config-wide ones go in
   * `report.assumptions`. Read only by the report, so editing it reruns nothing else.
   */
  assumptions: z.array(z.string().trim().min(1)).optional(),
});

/** A run's params after defaults were applied. */
export type RunParams = z.output<typeof runSchema>;
