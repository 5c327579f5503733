/** Private: the shape of a model family entry and the options every family shares. */
import type * as tf from "@tensorflow/tfjs";
import { z } from "zod";

/** What a model is built for: input `[h, w, c]`, number of classes and the init seed. */
export interface ModelIO {
  inputShape: [number, number, number];
  classes: number;
  seed: number;
}

/** A dropout probability in [0, 1). */
export const rate = z.number().min(0).lt(1);

/** Normalization switch: `"none"` removes every batch-norm layer (lab report 002's ablation). */
export const normalization = z.enum(["batch", "none"]);

/** A positive integer (channel counts, widths, block counts). */
export const positiveInt = z.number().int().positive();

/** Builds a model from its parsed options. */
export type Builder<O> = (options: O, io: ModelIO) => tf.LayersModel;

/** The input a model wants for data of shape `dataShape`; absent means "the data shape". */
export type InputShapeRule<O> = (
  options: O,
  dataShape: [number, number, number],
) => [number, number, number];

/**
 * A strict options object for the model `name`; unknown keys fail with a message listing the
 * valid ones, e.g. `Unknown option 'dept' for model 'resnet': valid options are name, depth, …`.
 */
export function modelSchema<N extends string, S extends z.ZodRawShape>(name: N, shape: S) {
  const full = { name: z.literal(name), ...shape };
  const valid = Object.keys(full).join(", ");
  return z.strictObject(full, {
    error: (iss) => {
      if (iss.code !== "unrecognized_keys") return undefined;
      const keys = iss.keys.map((k) => `'${k}'`).join(", ");
      const s = iss.keys.length > 1 ? "s" : "";
      return `Unknown option${s} ${keys} for model '${name}': valid options are ${valid}`;
    },
  });
}
