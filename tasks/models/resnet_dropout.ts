/**
 * Lab report 002's ResNet for Tiny ImageNet: a 5×5 stem (64, then 3×3/2 max pool) and a list of
 * residual blocks with dropout inside them; every block has a 1×1 conv + BN skip connection,
 * convs keep their biases (PyTorch's default).
 *
 * Block: `relu(bn0(dropout(conv0(x))))` → `bn1(conv1(·))` + `bn(conv1×1(x))` → `relu(dropout(·))`.
 *
 * `blocks` lists the output width of each block; a block downsamples (stride 2) when its width
 * differs from its input's. The report's depths: 11 layers `[64, 128, 128, 256, 256]` (default),
 * 15 `[…, 512, 512]`, 19 `[…, 512, 512, 1024, 1024]`.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import {
  activation,
  add,
  batchNorm,
  channels,
  conv2d,
  dense,
  dropout,
  globalAvgPool,
  maxPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** Options of `resnet_dropout`. */
export const resnetDropoutSchema = modelSchema("resnet_dropout", {
  /** Width of the 5×5 stem conv. */
  stem_width: positiveInt.default(64),
  /** Output width of each residual block (depth = 2·blocks + 1 convs). */
  blocks: z.array(positiveInt).min(1).default([64, 128, 128, 256, 256]),
  normalization: normalization.default("batch"),
  /** Dropout inside every block and after the stem conv (the report's `dropout1`). */
  conv_dropout: rate.default(0.2),
  /** Dropout before the classifier (the report's `dropout2`). */
  fc_dropout: rate.default(0.2),
});

/** Parsed options of `resnet_dropout`. */
export type ResnetDropoutOptions = z.infer<typeof resnetDropoutSchema>;

function block(ctx: NetContext, x: T, p: string, filters: number, rate: number): T {
  const stride = channels(x) === filters ? 1 : 2;
  let y = conv2d(ctx, x, `${p}.conv0`, { filters, kernel: 3, stride, padding: 1 });
  y = batchNorm(ctx, dropout(y, `${p}.dropout0`, rate), `${p}.bn0`);
  y = activation(y, `${p}.relu0`, "relu");
  y = batchNorm(ctx, conv2d(ctx, y, `${p}.conv1`, { filters, kernel: 3, padding: 1 }), `${p}.bn1`);
  const skip = batchNorm(
    ctx,
    conv2d(ctx, x, `${p}.skip.conv`, { filters, kernel: 1, stride }),
    `${p}.skip.bn`,
  );
  const sum = dropout(add([y, skip], `${p}.add`), `${p}.dropout1`, rate);
  return activation(sum, `${p}.relu1`, "relu");
}

/** Builds `resnet_dropout`. 64×64: `→ [b,64,64,64] → pool [b,32,32,64] → … → [b,8,8,256] → [b,classes]` */
export function buildResnetDropout(o: ResnetDropoutOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x: T = conv2d(ctx, input, "stem.conv", { filters: o.stem_width, kernel: 5, padding: 2 });
  x = batchNorm(ctx, dropout(x, "stem.dropout", o.conv_dropout), "stem.bn");
  x = maxPool(activation(x, "stem.relu", "relu"), "stem.pool", { size: 3, stride: 2, padding: 1 });
  o.blocks.forEach((filters, i) => x = block(ctx, x, `layer${i + 1}`, filters, o.conv_dropout));
  x = dropout(globalAvgPool(x, "head.pool"), "head.dropout", o.fc_dropout);
  const logits = dense(ctx, x, "head.fc", io.classes);
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: resnetDropoutSchema, build: buildResnetDropout }),
]);
