import { z } from "zod";
import { DATASET_NAMES } from "./dataset_names.ts";

/** `data:` — which data set and, optionally, where its files are. */
export const dataOptionsSchema = z.strictObject({
  dataset: z.enum(DATASET_NAMES),
  /** A folder with the published files (or the archive itself); tried before any other place. */
  path: z.string().min(1).optional(),
});
export type DataOptions = z.infer<typeof dataOptionsSchema>;

/** `split:` — how the training set is divided into train and validation. */
export const splitOptionsSchema = z.strictObject({
  /** Share of the (limited) training set held out for validation, as in the lab reports. */
  validation: z.number().min(0).lt(1).default(0.2),
  /** Keep each class's share the same in both parts (within one image). */
  stratified: z.boolean().default(false),
  seed: z.int().default(0),
  /** Use at most this many training images (before the validation split). */
  limit: z.int().positive().optional(),
  /** Use this share of the training images (before the validation split); with `limit`, the smaller wins. */
  fraction: z.number().gt(0).lte(1).optional(),
});
export type SplitOptions = z.infer<typeof splitOptionsSchema>;

const meanStd = z.strictObject({
  mean: z.array(z.number()).min(1).max(3),
  std: z.array(z.number().positive()).min(1).max(3),
}).refine((v) => v.mean.length === v.std.length, {
  message: "normalize.mean and normalize.std must have the same length",
});

/** `preprocess:` — applied to every image the model sees. */
export const preprocessOptionsSchema = z.strictObject({
  /** Divide pixels by 255 so they lie in [0, 1]. */
  scale: z.boolean().default(true),
  /** `train`: mean/std recorded by the split stage; or given per channel on the [0, 1] scale. */
  normalize: z.union([z.enum(["none", "train"]), meanStd]).default("none"),
  /** Bilinear resize to [height, width]; default: the data set's own size. */
  resize: z.tuple([z.int().positive(), z.int().positive()]).optional(),
  /** 1 → 3 replicates gray, 3 → 1 takes luminance; default: the data set's own channels. */
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
});
export type PreprocessOptions = z.infer<typeof preprocessOptionsSchema>;

/** `augment:` — seeded train-time augmentation (CIFAR-10, Tiny ImageNet). */
export const augmentOptionsSchema = z.strictObject({
  /** Pad each side with this many zero pixels, then crop back to size at a random offset. */
  crop_padding: z.int().min(0).default(0),
  /** Mirror left-right with probability 1/2. */
  flip: z.boolean().default(false),
});
export type AugmentOptions = z.infer<typeof augmentOptionsSchema>;
