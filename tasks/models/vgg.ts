/**
 * VGG family: blocks of 3×3 convs (padding 1) → [BN] → ReLU, each block closed by a 2×2 max pool,
 * then a fully connected head.
 *
 * - `vgg`: VGG-11/13/16/19 (torchvision layout; `normalization: batch` gives the `_bn` forms).
 *   VGG-16 at 224×224×3 / 1000 classes: 138,357,544 params. Input default 224×224 as in d2l and
 *   lab report 004 (smaller inputs work down to 32×32; the first FC then shrinks).
 * - `vgg_small`: lab report 000's and the benchmark's two-block VGG, (64,64),(128,128), FC 512-512
 *   with dropout before each hidden FC: 3,738,570 params at 28×28×1.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { classifier } from "./_classifier.ts";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import { convBnAct, dropout, flatten, maxPool, type NetContext, type T } from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** Conv widths per block for each standard depth (habit 8: variants are config arrays). */
export const VGG_BLOCKS: Record<11 | 13 | 16 | 19, number[][]> = {
  11: [[64], [128], [256, 256], [512, 512], [512, 512]],
  13: [[64, 64], [128, 128], [256, 256], [512, 512], [512, 512]],
  16: [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]],
  19: [[64, 64], [128, 128], [256, 256, 256, 256], [512, 512, 512, 512], [512, 512, 512, 512]],
};

const blocks = z.array(z.array(positiveInt).min(1)).min(1);

/** Options of `vgg`. */
export const vggSchema = modelSchema("vgg", {
  /** VGG-11/13/16/19. */
  depth: z.literal([11, 13, 16, 19]).default(16),
  /** Conv widths per block; when set it replaces the list `depth` selects. */
  blocks: blocks.optional(),
  fc_units: z.array(positiveInt).default([4096, 4096]),
  normalization: normalization.default("none"),
  conv_dropout: rate.default(0),
  fc_dropout: rate.default(0.5),
});

/** Options of `vgg_small` (lab report 000 / benchmark). */
export const vggSmallSchema = modelSchema("vgg_small", {
  blocks: blocks.default([[64, 64], [128, 128]]),
  fc_units: z.array(positiveInt).default([512, 512]),
  normalization: normalization.default("none"),
  conv_dropout: rate.default(0),
  fc_dropout: rate.default(0.4),
});

/** Parsed options of a VGG model. */
export type VggOptions = z.infer<typeof vggSchema> | z.infer<typeof vggSmallSchema>;

/** One VGG block: n × (conv3×3 → BN → ReLU) → maxpool 2 → dropout. `[b,h,w,c] → [b,h/2,w/2,k]` */
function vggBlock(ctx: NetContext, x: T, b: number, widths: number[], convDropout: number): T {
  const p = `features.block${b + 1}`;
  let y = x;
  widths.forEach((filters, i) => {
    y = convBnAct(ctx, y, `${p}.conv${i + 1}`, { filters, kernel: 3, padding: 1 }, "relu", {
      bn: `${p}.bn${i + 1}`,
      act: `${p}.relu${i + 1}`,
    });
  });
  y = maxPool(y, `${p}.pool`, { size: 2 });
  return dropout(y, `${p}.dropout`, convDropout);
}

/** Builds `vgg` or `vgg_small`. */
export function buildVgg(o: VggOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const list = o.blocks ?? VGG_BLOCKS[(o as z.infer<typeof vggSchema>).depth];
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x: T = input;
  list.forEach((widths, b) => x = vggBlock(ctx, x, b, widths, o.conv_dropout));
  x = flatten(x, "classifier.flatten");
  const logits = classifier(ctx, x, "classifier", {
    hidden: o.fc_units,
    classes: io.classes,
    dropout: o.fc_dropout,
    dropoutAt: o.name === "vgg_small" ? "before" : "after",
  });
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** `vgg` wants 224×224 (as d2l and lab report 004 resize); `vgg_small` takes the data as is. */
export function vggInputShape(
  o: VggOptions,
  data: [number, number, number],
): [number, number, number] {
  return o.name === "vgg" ? [224, 224, data[2]] : data;
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: vggSchema, build: buildVgg, inputShape: vggInputShape }),
  defineFamily({ schema: vggSmallSchema, build: buildVgg, inputShape: vggInputShape }),
]);
