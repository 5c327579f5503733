/**
 * The `model:` section of a run: a discriminated union on `name`, one strict schema per model
 * with every default filled in, so the parsed object is the fully resolved model config.
 */
import { z } from "zod";
import { alexnetD2lSchema, alexnetSchema, alexnetSmallSchema } from "./alexnet.ts";
import { densenetSchema, densenetSimpleSchema } from "./densenet.ts";
import { googlenetSchema } from "./googlenet.ts";
import { lenet5Schema, lenetSchema, netSchema } from "./lenet.ts";
import { mobilenetV1Schema } from "./mobilenet_v1.ts";
import { mobilenetV2Schema } from "./mobilenet_v2.ts";
import { ninSchema } from "./nin.ts";
import { cnnSchema } from "./plain_cnn.ts";
import { resnetSchema } from "./resnet.ts";
import { resnetCifarSchema, seResnetSchema } from "./resnet_cifar.ts";
import { resnetDropoutSchema } from "./resnet_dropout.ts";
import { vggSchema, vggSmallSchema } from "./vgg.ts";

const schemas = [
  lenetSchema,
  lenet5Schema,
  netSchema,
  cnnSchema,
  alexnetSchema,
  alexnetD2lSchema,
  alexnetSmallSchema,
  vggSchema,
  vggSmallSchema,
  ninSchema,
  googlenetSchema,
  resnetSchema,
  resnetCifarSchema,
  resnetDropoutSchema,
  seResnetSchema,
  densenetSchema,
  densenetSimpleSchema,
  mobilenetV1Schema,
  mobilenetV2Schema,
] as const;

/** Every model name `buildModel` accepts, in documentation order. */
export const MODEL_NAMES: readonly string[] = schemas.map((s) => s.shape.name.value);

/**
 * Zod schema of `model:`. Unknown names fail with `Unknown model name 'x': valid names are …`;
 * unknown options with `Unknown option 'k' for model 'm': valid options are …`.
 */
export const modelOptionsSchema = z.discriminatedUnion("name", schemas, {
  error: (iss) => {
    if (iss.code !== "invalid_union") return undefined;
    const input = iss.input as { name?: unknown } | undefined;
    const name = input?.name === undefined ? "(missing)" : `'${String(input.name)}'`;
    return `Unknown model name ${name}: valid names are ${MODEL_NAMES.join(", ")}`;
  },
});

/** Parsed (fully defaulted) model options. */
export type ModelOptions = z.infer<typeof modelOptionsSchema>;

/** Parsed options of the model called `N`. */
export type ModelOptionsOf<N extends ModelOptions["name"]> = Extract<ModelOptions, { name: N }>;

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
