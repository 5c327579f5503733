/**
 * LeNet-5 family: conv(5×5) → [BN] → act → pool, twice, then a fully connected head.
 *
 * - `lenet`: lab report 000 and the benchmark's LeNet (`torch_peer.py`): conv-BN-sigmoid-maxpool ×2,
 *   FC 120-84 with ReLU; first conv padded by 2 so 28×28 input gives the classic 5×5×16 = 400
 *   features. 61,750 params, 27.08 M mult-adds at batch 64 on 28×28×1. The lab's exact layer order
 *   (block 2 conv → sigmoid → BN, dropout on the logits) is `norm_order: [norm_act, act_norm]`,
 *   `fc_dropout_at: output` (configs/base/lab000-models.yaml).
 * - `lenet5`: the classic form of d2l and lab report 004: sigmoid, average pooling, sigmoid FC,
 *   no normalization (61,706 params on 28×28×1).
 * - `net`: lab report 001's `Net` for CIFAR-10 (ReLU, max pooling, no padding: 32×32×3 → 400).
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { classifier } from "./_classifier.ts";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import {
  activation,
  avgPool,
  batchNorm,
  conv2d,
  dropout,
  flatten,
  maxPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

const act = z.enum(["sigmoid", "relu", "tanh"]);
const normOrder = z.enum(["norm_act", "act_norm"]);

function lenetShape<N extends string>(name: N, d: {
  activation: "sigmoid" | "relu";
  pool: "max" | "avg";
  normalization: "batch" | "none";
  padding: number;
  fc_activation: "sigmoid" | "relu";
}) {
  return modelSchema(name, {
    /** Conv activation. */
    activation: act.default(d.activation),
    /** Pooling after each conv. */
    pool: z.enum(["max", "avg"]).default(d.pool),
    normalization: normalization.default(d.normalization),
    /** Zero padding of the first conv: 2 keeps 28×28 maps (same counts as 32×32 unpadded). */
    padding: z.number().int().min(0).max(4).default(d.padding),
    /** Activation of the hidden FC layers. */
    fc_activation: act.default(d.fc_activation),
    /** Output channels of the conv layers (depth = length). */
    channels: z.array(positiveInt).min(1).default([6, 16]),
    /** Hidden FC widths. */
    fc_units: z.array(positiveInt).default([120, 84]),
    /**
     * Order of BatchNorm and activation in each conv block: one value for every block or one per
     * block. `norm_act` (conv → BN → act) is the usual layout; lab report 000's torchinfo summary
     * shows block 1 as conv → BN → sigmoid but block 2 as conv → sigmoid → BN.
     */
    norm_order: z.union([normOrder, z.array(normOrder).min(1)]).default("norm_act"),
    conv_dropout: rate.default(0),
    fc_dropout: rate.default(0),
    /**
     * Where `fc_dropout` goes: `hidden` after every hidden FC layer's activation; `output` once,
     * after the output Linear (on the logits), as lab report 000's LeNet does (Dropout 2-14).
     */
    fc_dropout_at: z.enum(["hidden", "output"]).default("hidden"),
  }).superRefine((o, ctx) => {
    if (Array.isArray(o.norm_order) && o.norm_order.length !== o.channels.length) {
      ctx.addIssue({
        code: "custom",
        path: ["norm_order"],
        message: `has ${o.norm_order.length} entries but the model has ${o.channels.length} ` +
          "conv blocks (channels); give one order per block or a single order for all",
      });
    }
  });
}

/** Options of `lenet` (lab report 000 / benchmark LeNet). */
export const lenetSchema = lenetShape("lenet", {
  activation: "sigmoid",
  pool: "max",
  normalization: "batch",
  padding: 2,
  fc_activation: "relu",
});
/** Options of `lenet5` (classic LeNet-5 as in d2l and lab report 004). */
export const lenet5Schema = lenetShape("lenet5", {
  activation: "sigmoid",
  pool: "avg",
  normalization: "none",
  padding: 2,
  fc_activation: "sigmoid",
});
/** Options of `net` (lab report 001's CIFAR-10 `Net`). */
export const netSchema = lenetShape("net", {
  activation: "relu",
  pool: "max",
  normalization: "none",
  padding: 0,
  fc_activation: "relu",
});

/** Parsed options of any LeNet-shaped model. */
export type LenetOptions =
  | z.infer<typeof lenetSchema>
  | z.infer<typeof lenet5Schema>
  | z.infer<
    typeof netSchema
  >;

/** One conv stage: conv(5×5) → BN → act (or act → BN) → pool(2) → dropout. */
function convStage(ctx: NetContext, x: T, i: number, o: LenetOptions): T {
  const p = `features.conv${i + 1}`;
  let y = conv2d(ctx, x, p, {
    filters: o.channels[i],
    kernel: 5,
    padding: i === 0 ? o.padding : 0,
  });
  const order = Array.isArray(o.norm_order) ? o.norm_order[i] : o.norm_order;
  const norm = (t: T) => batchNorm(ctx, t, `features.bn${i + 1}`);
  const act = (t: T) => activation(t, `features.${o.activation}${i + 1}`, o.activation);
  y = order === "norm_act" ? act(norm(y)) : norm(act(y));
  const pool = { size: 2 };
  y = o.pool === "max"
    ? maxPool(y, `features.pool${i + 1}`, pool)
    : avgPool(y, `features.pool${i + 1}`, pool);
  return dropout(y, `features.dropout${i + 1}`, o.conv_dropout);
}

/** Builds `lenet`, `lenet5` or `net`. 28×28×1 with padding 2: `[b,28,28,1] → … → [b,5,5,16] → [b,classes]` */
export function buildLenet(o: LenetOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x: T = input;
  for (let i = 0; i < o.channels.length; i++) x = convStage(ctx, x, i, o);
  x = flatten(x, "classifier.flatten");
  const atOutput = o.fc_dropout_at === "output";
  const logits = classifier(ctx, x, "classifier", {
    hidden: o.fc_units,
    classes: io.classes,
    dropout: atOutput ? 0 : o.fc_dropout,
    dropoutAt: "after",
    activation: o.fc_activation,
  });
  if (atOutput) {
    // Names follow the classifier's: the output layer is fc{hidden+1}.
    const out = dropout(logits, `classifier.fc${o.fc_units.length + 1}.dropout`, o.fc_dropout);
    return tf.model({ name: o.name, inputs: input, outputs: out });
  }
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: lenetSchema, build: buildLenet }),
  defineFamily({ schema: lenet5Schema, build: buildLenet }),
  defineFamily({ schema: netSchema, build: buildLenet }),
]);
