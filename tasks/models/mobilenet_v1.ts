/**
 * MobileNet v1 (Howard et al. 2017), Keras layout: 3×3/2 stem, 13 depthwise-separable blocks
 * (depthwise 3×3 → BN → ReLU6 → pointwise 1×1 → BN → ReLU6), global average pool, linear.
 * 4,231,976 params at 224×224×3 / 1000 classes with `width` (α) 1.
 *
 * Lab report 000's MobileNet is `{ blocks: 7, upsample: 8, pool: 7 }`: 28×28 upsampled (bilinear)
 * to 224×224, the first seven blocks, a 7×7 average pool leaving 2×2×512 = 2048 features:
 * 557,834 params.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { Upsample2D } from "./upsample_layer.ts";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import {
  avgPool,
  convBnAct,
  dense,
  dropout,
  flatten,
  globalAvgPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** Pointwise width and depthwise stride of the 13 blocks. */
export const MOBILENET_V1_BLOCKS: [number, number][] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

/** Options of `mobilenet_v1`. */
export const mobilenetV1Schema = modelSchema("mobilenet_v1", {
  /** Width multiplier α: every layer keeps floor(α·channels). */
  width: z.number().gt(0).max(4).default(1),
  /** How many of the 13 separable blocks to use. */
  blocks: z.number().int().min(1).max(13).default(13),
  /**
   * Bilinear upsampling factor applied to the input inside the model (lab report 000: 8), with
   * PyTorch's `align_corners=False` sampling.
   */
  upsample: positiveInt.default(1),
  /** `"global"` average pooling, or an average pool of this size whose output is flattened. */
  pool: z.union([z.literal("global"), positiveInt]).default("global"),
  normalization: normalization.default("batch"),
  /** Dropout after every separable block. */
  conv_dropout: rate.default(0),
  fc_dropout: rate.default(0),
});

/** Parsed options of `mobilenet_v1`. */
export type MobilenetV1Options = z.infer<typeof mobilenetV1Schema>;

/** Builds `mobilenet_v1`. 224×224: `→ [b,112,112,32] → … → [b,7,7,1024] → [b,classes]` */
export function buildMobilenetV1(o: MobilenetV1Options, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const w = (c: number) => Math.floor(c * o.width);
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x: T = input;
  if (o.upsample > 1) {
    x = new Upsample2D({ name: "upsample", factor: o.upsample }).apply(x) as T;
  }
  x = convBnAct(
    ctx,
    x,
    "stem.conv",
    {
      filters: w(32),
      kernel: 3,
      stride: 2,
      padding: 1,
      bias: false,
    },
    "relu6",
    { bn: "stem.bn", act: "stem.relu6" },
  );
  MOBILENET_V1_BLOCKS.slice(0, o.blocks).forEach(([filters, stride], i) => {
    const p = `block${i + 1}`;
    x = convBnAct(
      ctx,
      x,
      `${p}.dw`,
      {
        filters: x.shape[3] as number,
        kernel: 3,
        stride,
        padding: 1,
        bias: false,
        depthwise: true,
      },
      "relu6",
      { bn: `${p}.dw_bn`, act: `${p}.dw_relu6` },
    );
    x = convBnAct(ctx, x, `${p}.pw`, { filters: w(filters), kernel: 1, bias: false }, "relu6", {
      bn: `${p}.pw_bn`,
      act: `${p}.pw_relu6`,
    });
    x = dropout(x, `${p}.dropout`, o.conv_dropout);
  });
  x = o.pool === "global"
    ? globalAvgPool(x, "head.pool")
    : flatten(avgPool(x, "head.pool", { size: o.pool }), "head.flatten");
  x = dropout(x, "head.dropout", o.fc_dropout);
  const logits = dense(ctx, x, "head.fc", io.classes);
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: mobilenetV1Schema, build: buildMobilenetV1 }),
]);
