/**
 * The one table of model families: every name `model.name` accepts, its options schema, builder
 * and input rule, as the family files register them. Config validation, the planner (which
 * hands a train stage only its family's file) and tools read it; stages never import it.
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { ModelIO } from "./_family.ts";
import * as alexnet from "./alexnet.ts";
import { buildFromFamily, familyInputShape } from "./build_from_family.ts";
import * as densenet from "./densenet.ts";
import * as googlenet from "./googlenet.ts";
import * as lenet from "./lenet.ts";
import * as mobilenetV1 from "./mobilenet_v1.ts";
import * as mobilenetV2 from "./mobilenet_v2.ts";
import type { ModelFamily } from "./model_family.ts";
import * as nin from "./nin.ts";
import * as plainCnn from "./plain_cnn.ts";
import * as resnet from "./resnet.ts";
import * as resnetCifar from "./resnet_cifar.ts";
import * as resnetDropout from "./resnet_dropout.ts";
import * as vgg from "./vgg.ts";

/** Every model, in documentation order. */
const FAMILIES = [
  ...lenet.MODEL_FAMILIES,
  ...plainCnn.MODEL_FAMILIES,
  ...alexnet.MODEL_FAMILIES,
  ...vgg.MODEL_FAMILIES,
  ...nin.MODEL_FAMILIES,
  ...googlenet.MODEL_FAMILIES,
  ...resnet.MODEL_FAMILIES,
  ...resnetCifar.MODEL_FAMILIES,
  ...resnetDropout.MODEL_FAMILIES,
  ...densenet.MODEL_FAMILIES,
  ...mobilenetV1.MODEL_FAMILIES,
  ...mobilenetV2.MODEL_FAMILIES,
] as const;

/** Parsed (fully defaulted) options of any model. */
export type ModelOptions = z.output<(typeof FAMILIES)[number]["schema"]>;

/** Parsed options of the model called `N`. */
export type ModelOptionsOf<N extends ModelOptions["name"]> = Extract<ModelOptions, { name: N }>;

/** Every model name `model.name` accepts, in documentation order. */
export const MODEL_NAMES: readonly string[] = FAMILIES.map((f) => f.name);

/**
 * Zod schema of `model:`. Unknown names fail with `Unknown model name 'x': valid names are …`;
 * unknown options with `Unknown option 'k' for model 'm': valid options are …`.
 */
export const modelOptionsSchema = z.discriminatedUnion(
  "name",
  FAMILIES.map((f) => f.schema) as unknown as [
    z.ZodObject<{ name: z.ZodLiteral<string> }>,
    ...z.ZodObject<{ name: z.ZodLiteral<string> }>[],
  ],
  {
    error: (iss) => {
      if (iss.code !== "invalid_union") return undefined;
      const input = iss.input as { name?: unknown } | undefined;
      const name = input?.name === undefined ? "(missing)" : `'${String(input.name)}'`;
      return `Unknown model name ${name}: valid names are ${MODEL_NAMES.join(", ")}`;
    },
  },
) as unknown as z.ZodType<ModelOptions>;

/**
 * The registered family of a model name.
 * @throws Error listing the valid names when `name` is unknown.
 */
export function modelFamily(name: string): ModelFamily {
  const family = (FAMILIES as unknown as readonly ModelFamily[]).find((f) => f.name === name);
  if (family === undefined) {
    throw new Error(
      `Unknown model name '${String(name)}': valid names are ${MODEL_NAMES.join(", ")}`,
    );
  }
  return family;
}

/** The URL of the file that defines model `name`: what a stage building it runs. */
export function familyModule(name: string): URL {
  return new URL(modelFamily(name).module);
}

/**
 * Validates and defaults a `model:` section.
 * @throws Error with the first problem, e.g. `Invalid model options at 'depth': …`.
 */
export function parseModelOptions(input: unknown): ModelOptions {
  const r = modelOptionsSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const at = issue.path.length > 0 ? ` at '${issue.path.join(".")}'` : "";
  throw new Error(`Invalid model options${at}: ${issue.message}`);
}

/**
 * Builds the model `options` describe (see {@linkcode buildFromFamily}).
 * @throws Error when the name is unknown (listing the valid ones) or the input is too small.
 */
export function buildModel(options: ModelOptions, io: ModelIO): tf.LayersModel {
  return buildFromFamily(modelFamily(options.name), options, io);
}

/**
 * The `[h, w, c]` input the model wants for data of shape `dataShape`: the classic ImageNet
 * models want the sizes their papers (and the lab reports) resize to: `alexnet`, `alexnet_d2l`,
 * `vgg` and `nin` 224×224, `googlenet` 96×96 (d2l), `densenet` at least 32×32; the others take
 * the data as is. Channels always follow the data.
 */
export function requiredInputShape(
  options: ModelOptions,
  dataShape: [number, number, number],
): [number, number, number] {
  return familyInputShape(modelFamily(options.name), options, dataShape);
}
