/**
 * `cnn`: lab report 002's configurable plain CNN (no skip connections) for Tiny ImageNet:
 * a 5×5 stem conv (64) + 3×3/2 max pool, then one layer per entry of `channels` — two 3×3 convs
 * and a 2×2 max pool — global average pooling and the `fc_units` head.
 *
 * Every conv is `relu(bn(dropout(conv(x))))`, the report's ordering. Its depths: 8 layers
 * `channels [128, 256, 512]`, `fc_units [256]` (default); 10 layers `[…, 1024]`, `[512]`;
 * 12 layers `[…, 1024, 2048]`, `[1024]`.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { classifier } from "./_classifier.ts";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import {
  activation,
  batchNorm,
  conv2d,
  type ConvSpec,
  dropout,
  globalAvgPool,
  maxPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** Options of `cnn`. */
export const cnnSchema = modelSchema("cnn", {
  stem_width: positiveInt.default(64),
  /** Width of each two-conv layer (depth = 1 + 2·channels + fc layers). */
  channels: z.array(positiveInt).min(1).default([128, 256, 512]),
  /** Hidden FC widths. */
  fc_units: z.array(positiveInt).default([256]),
  normalization: normalization.default("batch"),
  conv_dropout: rate.default(0.2),
  fc_dropout: rate.default(0.2),
});

/** Parsed options of `cnn`. */
export type CnnOptions = z.infer<typeof cnnSchema>;

/** Builds `cnn`. 64×64: `→ [b,32,32,64] → [b,16,16,128] → [b,8,8,256] → [b,4,4,512] → [b,classes]` */
export function buildCnn(o: CnnOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const unit = (x: T, p: string, spec: ConvSpec) => {
    const y = dropout(conv2d(ctx, x, `${p}.conv`, spec), `${p}.dropout`, o.conv_dropout);
    return activation(batchNorm(ctx, y, `${p}.bn`), `${p}.relu`, "relu");
  };
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x = unit(input, "stem", { filters: o.stem_width, kernel: 5, padding: 2 });
  x = maxPool(x, "stem.pool", { size: 3, stride: 2, padding: 1 });
  o.channels.forEach((filters, i) => {
    const p = `layer${i + 1}`;
    x = unit(x, `${p}.unit1`, { filters, kernel: 3, padding: 1 });
    x = unit(x, `${p}.unit2`, { filters, kernel: 3, padding: 1 });
    x = maxPool(x, `${p}.pool`, { size: 2 });
  });
  x = globalAvgPool(x, "head.pool");
  const logits = classifier(ctx, x, "head", {
    hidden: o.fc_units,
    classes: io.classes,
    dropout: o.fc_dropout,
    dropoutAt: "before",
  });
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: cnnSchema, build: buildCnn }),
]);
