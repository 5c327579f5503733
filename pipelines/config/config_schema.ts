/**
 * The schema of one config file (before `extends` is merged). Run params stay opaque here: they
 * are validated per expanded run by the project's `runSchema`, and `report:` by `reportSchema`.
 * @module
 */
import { z } from "zod";

/** Names that end up in run names and stage ids: no spaces, '/', '=', or glob characters. */
const name = z.string().regex(/^[^\s/=*?]+$/, {
  error: "names may not contain spaces, '/', '=', '*' or '?'",
});

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
