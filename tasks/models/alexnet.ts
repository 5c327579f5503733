/**
 * AlexNet family: five convs (three max pools), then a 4096-4096 fully connected head.
 *
 * - `alexnet`: torchvision's single-tower layout (64-192-384-256-256), 224×224 input:
 *   61,100,840 params at 224×224×3 / 1000 classes.
 * - `alexnet_d2l`: d2l's AlexNet as lab reports 003 and 004 use it (96-256-384-384-256,
 *   11×11/4 padding 1, 224×224 input): 46,764,746 params at 224×224×1 / 10 classes.
 * - `alexnet_small`: lab report 000's AlexNet for 28×28 MNIST (11×11 conv at stride 1):
 *   `[b,28,28,1] → [b,30,30,96] → … → [b,2,2,256]`, 24,744,650 params, 16.87 G mult-adds at
 *   batch 64.
 *
 * `lrn: true` adds the paper's local response normalization after the first two convs; `width`
 * scales the conv channels.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { classifier } from "./_classifier.ts";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import { LocalResponseNorm } from "./lrn_layer.ts";
import {
  activation,
  batchNorm,
  conv2d,
  dropout,
  flatten,
  maxPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** One conv of the feature extractor; `pool` closes it with a 3×3/2 max pool. */
interface AlexConv {
  filters: number;
  kernel: number;
  stride: number;
  padding: number;
  pool: boolean;
}

const c = (filters: number, kernel: number, stride: number, padding: number, pool = false) => ({
  filters,
  kernel,
  stride,
  padding,
  pool,
});

/** Conv stacks of the three layouts (habit 8: variants are config arrays). */
export const ALEXNET_CONVS: Record<"alexnet" | "alexnet_d2l" | "alexnet_small", AlexConv[]> = {
  alexnet: [
    c(64, 11, 4, 2, true),
    c(192, 5, 1, 2, true),
    c(384, 3, 1, 1),
    c(256, 3, 1, 1),
    c(256, 3, 1, 1, true),
  ],
  alexnet_d2l: [
    c(96, 11, 4, 1, true),
    c(256, 5, 1, 2, true),
    c(384, 3, 1, 1),
    c(384, 3, 1, 1),
    c(256, 3, 1, 1, true),
  ],
  // 28 + 2·6 − 11 + 1 = 30: the 30×30 maps lab report 000's summary shows.
  alexnet_small: [
    c(96, 11, 1, 6, true),
    c(256, 5, 1, 2, true),
    c(384, 3, 1, 1),
    c(384, 3, 1, 1),
    c(256, 3, 1, 1, true),
  ],
};

const common = {
  /** Channel multiplier for the five convs (each keeps max(1, round(width·channels))). */
  width: z.number().gt(0).max(4).default(1),
  /** Local response normalization (size 5, α 1e-4, β 0.75, k 2) after conv1 and conv2. */
  lrn: z.boolean().default(false),
  fc_units: z.array(positiveInt).default([4096, 4096]),
  /** `batch` adds BN after every conv (not in any AlexNet paper; for ablations). */
  normalization: normalization.default("none"),
  conv_dropout: rate.default(0),
  fc_dropout: rate.default(0.5),
};

/** Options of `alexnet` (torchvision layout). */
export const alexnetSchema = modelSchema("alexnet", common);
/** Options of `alexnet_d2l` (lab reports 003, 004). */
export const alexnetD2lSchema = modelSchema("alexnet_d2l", common);
/** Options of `alexnet_small` (lab report 000, 28×28). */
export const alexnetSmallSchema = modelSchema("alexnet_small", common);

/** Parsed options of an AlexNet model. */
export type AlexnetOptions =
  | z.infer<typeof alexnetSchema>
  | z.infer<typeof alexnetD2lSchema>
  | z.infer<typeof alexnetSmallSchema>;

/** Builds `alexnet`, `alexnet_d2l` or `alexnet_small`. */
export function buildAlexnet(o: AlexnetOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x: T = input;
  ALEXNET_CONVS[o.name].forEach((spec, i) => {
    const p = `features.conv${i + 1}`;
    x = conv2d(ctx, x, p, { ...spec, filters: Math.max(1, Math.round(spec.filters * o.width)) });
    x = activation(batchNorm(ctx, x, `${p}.bn`), `${p}.relu`, "relu");
    if (o.lrn && i < 2) x = new LocalResponseNorm({ name: `${p}.lrn` }).apply(x) as T;
    if (spec.pool) x = maxPool(x, `${p}.pool`, { size: 3, stride: 2 });
    x = dropout(x, `${p}.dropout`, o.conv_dropout);
  });
  x = flatten(x, "classifier.flatten");
  const logits = classifier(ctx, x, "classifier", {
    hidden: o.fc_units,
    classes: io.classes,
    dropout: o.fc_dropout,
    // torchvision drops out before each hidden FC, d2l after.
    dropoutAt: o.name === "alexnet" ? "before" : "after",
  });
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** The two ImageNet layouts want 224×224 (as the lab reports resize); `alexnet_small` the data. */
export function alexnetInputShape(
  o: AlexnetOptions,
  data: [number, number, number],
): [number, number, number] {
  return o.name === "alexnet_small" ? data : [224, 224, data[2]];
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: alexnetSchema, build: buildAlexnet, inputShape: alexnetInputShape }),
  defineFamily({ schema: alexnetD2lSchema, build: buildAlexnet, inputShape: alexnetInputShape }),
  defineFamily({ schema: alexnetSmallSchema, build: buildAlexnet, inputShape: alexnetInputShape }),
]);
