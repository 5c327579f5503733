/**
 * MobileNet v2 (Sandler et al. 2018), torchvision layout: 3×3/2 stem, inverted residual blocks
 * (1×1 expand → BN → ReLU6 → depthwise 3×3 → BN → ReLU6 → 1×1 project → BN, identity added when the
 * shape allows), 1×1 conv to 1280, global average pool, dropout 0.2, linear.
 * 3,504,872 params at 224×224×3 / 1000 classes with `width` (α) 1.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type ModelIO, modelSchema, normalization, rate } from "./_family.ts";
import {
  add,
  batchNorm,
  channels,
  conv2d,
  convBnAct,
  dense,
  dropout,
  globalAvgPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** Inverted residual settings: expansion t, channels c, repeats n, first stride s. */
export const MOBILENET_V2_SETTINGS: [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** Options of `mobilenet_v2`. */
export const mobilenetV2Schema = modelSchema("mobilenet_v2", {
  /** Width multiplier α (channels rounded to multiples of 8, as torchvision does). */
  width: z.number().gt(0).max(4).default(1),
  normalization: normalization.default("batch"),
  /** Dropout after every inverted residual block. */
  conv_dropout: rate.default(0),
  fc_dropout: rate.default(0.2),
});

/** Parsed options of `mobilenet_v2`. */
export type MobilenetV2Options = z.infer<typeof mobilenetV2Schema>;

/** torchvision's `_make_divisible(v, 8)`: round to a multiple of 8, never down by more than 10%. */
export function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

function invertedResidual(
  ctx: NetContext,
  x: T,
  p: string,
  out: number,
  stride: number,
  t: number,
): T {
  const inC = channels(x);
  const hidden = Math.round(inC * t);
  let y = x;
  if (t !== 1) {
    y = convBnAct(ctx, y, `${p}.expand`, { filters: hidden, kernel: 1, bias: false }, "relu6", {
      bn: `${p}.expand_bn`,
      act: `${p}.expand_relu6`,
    });
  }
  y = convBnAct(
    ctx,
    y,
    `${p}.dw`,
    {
      filters: hidden,
      kernel: 3,
      stride,
      padding: 1,
      bias: false,
      depthwise: true,
    },
    "relu6",
    { bn: `${p}.dw_bn`, act: `${p}.dw_relu6` },
  );
  y = batchNorm(
    ctx,
    conv2d(ctx, y, `${p}.project`, { filters: out, kernel: 1, bias: false }),
    `${p}.project_bn`,
  );
  return stride === 1 && inC === out ? add([x, y], `${p}.add`) : y;
}

/** Builds `mobilenet_v2`. 224×224: `→ [b,112,112,32] → … → [b,7,7,320] → [b,7,7,1280] → [b,classes]` */
export function buildMobilenetV2(o: MobilenetV2Options, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x = convBnAct(
    ctx,
    input,
    "stem.conv",
    {
      filters: makeDivisible(32 * o.width),
      kernel: 3,
      stride: 2,
      padding: 1,
      bias: false,
    },
    "relu6",
    { bn: "stem.bn", act: "stem.relu6" },
  );
  let index = 0;
  for (const [t, c, n, s] of MOBILENET_V2_SETTINGS) {
    for (let i = 0; i < n; i++) {
      index++;
      const p = `block${index}`;
      x = invertedResidual(ctx, x, p, makeDivisible(c * o.width), i === 0 ? s : 1, t);
      x = dropout(x, `${p}.dropout`, o.conv_dropout);
    }
  }
  x = convBnAct(
    ctx,
    x,
    "last.conv",
    {
      filters: makeDivisible(1280 * Math.max(1, o.width)),
      kernel: 1,
      bias: false,
    },
    "relu6",
    { bn: "last.bn", act: "last.relu6" },
  );
  x = dropout(globalAvgPool(x, "head.pool"), "head.dropout", o.fc_dropout);
  const logits = dense(ctx, x, "head.fc", io.classes);
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: mobilenetV2Schema, build: buildMobilenetV2 }),
]);
