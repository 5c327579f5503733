/**
 * Network in Network (Lin et al. 2013) as in d2l's chapter (lab report 003): NiN blocks
 * (conv k×k → ReLU → 1×1 → ReLU → 1×1 → ReLU) with 3×3/2 max pools, a last block with one channel
 * per class and global average pooling instead of fully connected layers. Input 224×224.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import {
  convBnAct,
  type ConvSpec,
  dropout,
  globalAvgPool,
  maxPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** Options of `nin`. */
export const ninSchema = modelSchema("nin", {
  /** Widths of the three pooled NiN blocks (d2l: 96, 256, 384). */
  channels: z.array(positiveInt).length(3).default([96, 256, 384]),
  /** `batch` adds BN after every conv (not in the paper; for ablations). */
  normalization: normalization.default("none"),
  /** Dropout after each pooled block. */
  conv_dropout: rate.default(0),
  /** Dropout before the class block (d2l: 0.5). */
  fc_dropout: rate.default(0.5),
});

/** Parsed options of `nin`. */
export type NinOptions = z.infer<typeof ninSchema>;

/** conv(k, s, p) → ReLU → 1×1 → ReLU → 1×1 → ReLU, all `filters` wide. */
function ninBlock(ctx: NetContext, x: T, p: string, spec: ConvSpec): T {
  let y = x;
  const convs: ConvSpec[] = [spec, { filters: spec.filters, kernel: 1 }, {
    filters: spec.filters,
    kernel: 1,
  }];
  convs.forEach((s, i) => {
    y = convBnAct(ctx, y, `${p}.conv${i + 1}`, s, "relu", {
      bn: `${p}.bn${i + 1}`,
      act: `${p}.relu${i + 1}`,
    });
  });
  return y;
}

/** Builds `nin`. 224×224: `→ [b,54,54,96] → [b,26,26,256] → [b,12,12,384] → [b,5,5,classes]` */
export function buildNin(o: NinOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const input = tf.input({ name: "input", shape: io.inputShape });
  const [c1, c2, c3] = o.channels;
  const specs: ConvSpec[] = [
    { filters: c1, kernel: 11, stride: 4 },
    { filters: c2, kernel: 5, padding: 2 },
    { filters: c3, kernel: 3, padding: 1 },
  ];
  let x: T = input;
  specs.forEach((spec, i) => {
    x = ninBlock(ctx, x, `features.block${i + 1}`, spec);
    x = maxPool(x, `features.block${i + 1}.pool`, { size: 3, stride: 2 });
    x = dropout(x, `features.block${i + 1}.dropout`, o.conv_dropout);
  });
  x = dropout(x, "classifier.dropout", o.fc_dropout);
  x = ninBlock(ctx, x, "classifier.block", { filters: io.classes, kernel: 3, padding: 1 });
  const logits = globalAvgPool(x, "classifier.pool");
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** NiN is an ImageNet model: d2l resizes Fashion-MNIST to 224×224 for it. */
function imagenetInput(_o: unknown, data: [number, number, number]): [number, number, number] {
  return [224, 224, data[2]];
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: ninSchema, build: buildNin, inputShape: imagenetInput }),
]);
