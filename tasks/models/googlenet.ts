/**
 * GoogLeNet / Inception v1 (Szegedy et al. 2014) as in d2l's chapter (lab report 003): five stages,
 * nine Inception blocks, global average pooling and one linear layer. d2l trains it on
 * Fashion-MNIST resized to 96×96, which is the input this model asks for.
 *
 * `lrn: true` restores the paper's local response normalization (after the first max pool and
 * after the 3×3 conv of stage 2); `fc_dropout` the paper's 0.4 dropout before the classifier.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type ModelIO, modelSchema, normalization, rate } from "./_family.ts";
import { LocalResponseNorm } from "./lrn_layer.ts";
import {
  concat,
  convBnAct,
  type ConvSpec,
  dense,
  dropout,
  globalAvgPool,
  maxPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** Widths of one Inception block: `[1×1, [3×3 reduce, 3×3], [5×5 reduce, 5×5], pool proj]`. */
export type InceptionWidths = [number, [number, number], [number, number], number];

/** The nine Inception blocks of stages 3–5 (d2l / the paper's table 1). */
export const INCEPTION_STAGES: InceptionWidths[][] = [
  [[64, [96, 128], [16, 32], 32], [128, [128, 192], [32, 96], 64]],
  [
    [192, [96, 208], [16, 48], 64],
    [160, [112, 224], [24, 64], 64],
    [128, [128, 256], [24, 64], 64],
    [112, [144, 288], [32, 64], 64],
    [256, [160, 320], [32, 128], 128],
  ],
  [[256, [160, 320], [32, 128], 128], [384, [192, 384], [48, 128], 128]],
];

/** Options of `googlenet`. */
export const googlenetSchema = modelSchema("googlenet", {
  /** Channel multiplier for every conv (each keeps max(1, round(width·channels))). */
  width: z.number().gt(0).max(4).default(1),
  lrn: z.boolean().default(false),
  /** `batch` adds BN after every conv (Inception-BN style). */
  normalization: normalization.default("none"),
  /** Dropout after each stage's max pool. */
  conv_dropout: rate.default(0),
  /** Dropout before the linear classifier (paper: 0.4, d2l: none). */
  fc_dropout: rate.default(0),
});

/** Parsed options of `googlenet`. */
export type GooglenetOptions = z.infer<typeof googlenetSchema>;

const scale = (c: number, width: number) => Math.max(1, Math.round(c * width));

/** Four parallel paths concatenated on channels. `[b,h,w,c] → [b,h,w,Σ widths]` */
function inception(
  ctx: NetContext,
  x: T,
  p: string,
  [c1, c2, c3, c4]: InceptionWidths,
  width: number,
): T {
  const unit = (y: T, name: string, spec: ConvSpec) =>
    convBnAct(ctx, y, name, { ...spec, filters: scale(spec.filters, width) }, "relu", {
      bn: `${name}.bn`,
      act: `${name}.relu`,
    });
  const p1 = unit(x, `${p}.p1.conv`, { filters: c1, kernel: 1 });
  const p2 = unit(unit(x, `${p}.p2.reduce`, { filters: c2[0], kernel: 1 }), `${p}.p2.conv`, {
    filters: c2[1],
    kernel: 3,
    padding: 1,
  });
  const p3 = unit(unit(x, `${p}.p3.reduce`, { filters: c3[0], kernel: 1 }), `${p}.p3.conv`, {
    filters: c3[1],
    kernel: 5,
    padding: 2,
  });
  const pooled = maxPool(x, `${p}.p4.pool`, { size: 3, stride: 1, padding: 1 });
  const p4 = unit(pooled, `${p}.p4.conv`, { filters: c4, kernel: 1 });
  return concat([p1, p2, p3, p4], `${p}.concat`);
}

/** Builds `googlenet`. 96×96: `→ b1 [b,24,24,64] → b2 [b,12,12,192] → … → b5 [b,3,3,1024] → [b,classes]` */
export function buildGooglenet(o: GooglenetOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const unit = (y: T, name: string, spec: ConvSpec) =>
    convBnAct(ctx, y, name, { ...spec, filters: scale(spec.filters, o.width) }, "relu", {
      bn: `${name}.bn`,
      act: `${name}.relu`,
    });
  const lrn = (y: T, name: string) => o.lrn ? new LocalResponseNorm({ name }).apply(y) as T : y;
  const pool = (y: T, name: string) =>
    dropout(
      maxPool(y, name, { size: 3, stride: 2, padding: 1 }),
      `${name}.dropout`,
      o.conv_dropout,
    );
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x = unit(input, "b1.conv", { filters: 64, kernel: 7, stride: 2, padding: 3 });
  x = lrn(pool(x, "b1.pool"), "b1.lrn");
  x = unit(x, "b2.conv1", { filters: 64, kernel: 1 });
  x = lrn(unit(x, "b2.conv2", { filters: 192, kernel: 3, padding: 1 }), "b2.lrn");
  x = pool(x, "b2.pool");
  INCEPTION_STAGES.forEach((blocks, s) => {
    blocks.forEach((widths, i) =>
      x = inception(ctx, x, `b${s + 3}.inception${i + 1}`, widths, o.width)
    );
    if (s < 2) x = pool(x, `b${s + 3}.pool`);
  });
  x = dropout(globalAvgPool(x, "head.pool"), "head.dropout", o.fc_dropout);
  const logits = dense(ctx, x, "head.fc", io.classes);
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** d2l resizes Fashion-MNIST to 96×96 for GoogLeNet. */
export function googlenetInputShape(
  _o: GooglenetOptions,
  data: [number, number, number],
): [number, number, number] {
  return [96, 96, data[2]];
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: googlenetSchema, build: buildGooglenet, inputShape: googlenetInputShape }),
]);
