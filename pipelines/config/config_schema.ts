/**
 * The schema of one config file (before `extends` is merged). Run params stay opaque here: they
 * are validated per expanded run by the project's `runSchema`, and `report:` by `reportSchema`.
 * @module
 */
import { z } from "zod";
import { nameProblem } from "./safe_name.ts";

/** Names that end up in folder names, run names and stage ids (see `safe_name.ts`). */
export const nameSchema = z.string().superRefine((value, ctx) => {
  const problem = nameProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem, params: { name: true } });
});
const name = nameSchema;

/** A partial set of run params; validated later, after merging. */
export const paramsBlock = z.record(z.string(), z.unknown());

/** One `sweep:` block. `mode` defaults to `grid`; `experiments` defaults to all experiments. */
export const sweepBlockSchema = z.strictObject({
  name,
  mode: z.enum(["grid", "zip"]).default("grid"),
  experiments: z.array(z.string()).min(1).optional(),
  params: z.record(z.string(), z.array(z.unknown()).min(1)),
});

/** One config file as written; every key optional because a base file may hold only a part. */
export const configFileSchema = z.strictObject({
  extends: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  name: name.optional(),
  description: z.string().optional(),
  defaults: paramsBlock.optional(),
  experiments: z.record(name, paramsBlock.nullable()).optional(),
  sweep: z.union([sweepBlockSchema, z.array(sweepBlockSchema).min(1)]).optional(),
  seeds: z.union([z.int().positive(), z.array(z.int().nonnegative()).min(1)]).optional(),
  report: z.unknown().optional(),
  /** Validated after merging by `executorSchema` (executor_schema.ts), like `report:`. */
  executor: z.record(z.string(), z.unknown()).optional(),
});

/** A parsed config file. */
export type ConfigFile = z.infer<typeof configFileSchema>;

/** A parsed sweep block. */
export type SweepBlock = z.infer<typeof sweepBlockSchema>;
