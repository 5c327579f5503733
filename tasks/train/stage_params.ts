/**
 * The params the train and evaluate stages receive (ARCHITECTURE.md), validated again inside the
 * stage so that each stage reads typed, defaulted values.
 * @module
 */
import { z } from "zod";
import { augmentOptionsSchema, preprocessOptionsSchema } from "../datasets/mod.ts";
import { modelOptionsSchema } from "../models/mod.ts";
import { evaluateOptionsSchema, trainOptionsSchema } from "./train_options.ts";

/** Params of the train stage: `{ model, train, preprocess, augment, seed, backend }`. */
export const trainStageParamsSchema = z.strictObject({
  model: modelOptionsSchema,
  train: trainOptionsSchema.prefault({}),
  preprocess: preprocessOptionsSchema.prefault({}),
  augment: augmentOptionsSchema.prefault({}),
  seed: z.int().default(0),
  /** The backend the run asked for; `ctx.runtime.backend` (the resolved one) wins. */
  backend: z.string().default("auto"),
});

/** Params of the evaluate stage: `{ model, preprocess, evaluate, seed }`. */
export const evaluateStageParamsSchema = z.strictObject({
  model: modelOptionsSchema,
  preprocess: preprocessOptionsSchema.prefault({}),
  evaluate: evaluateOptionsSchema.prefault({}),
  seed: z.int().default(0),
  backend: z.string().default("auto"),
});

/** Parsed train stage params. */
export type TrainStageParams = z.output<typeof trainStageParamsSchema>;
/** Parsed evaluate stage params. */
export type EvaluateStageParams = z.output<typeof evaluateStageParamsSchema>;

/**
 * Parses a stage's params with `schema`.
 * @throws Error naming the stage, the dotted key and the problem
 */
export function parseStageParams<S extends z.ZodType>(
  stage: string,
  schema: S,
  params: unknown,
): z.output<S> {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = issue.path.length > 0 ? issue.path.join(".") : "(root)";
  throw new Error(`Cannot run the ${stage} stage as params.${at} is invalid: ${issue.message}`);
}
