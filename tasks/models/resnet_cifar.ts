/**
 * CIFAR-style ResNets (He et al. 2015, §4.2): 3×3 stem with 16 channels, three stages of n basic
 * blocks at 16/32/64 channels (strides 1, 2, 2), global average pool, linear; depth = 6n + 2.
 *
 * - `resnet_cifar`: ResNet-20/32/44/56/110. `shortcut: "A"` (default, the paper's CIFAR choice):
 *   strided identity with zero-padded channels, no parameters — ResNet-20 has 269,722 params and
 *   ResNet-56 853,018 (10 classes); `"B"`: 1×1 conv + BN projections where the shape changes —
 *   272,474 and 855,770. Lab report 001's ResNet is `{ depth: 14, shortcut: "B" }`.
 * - `se_resnet`: lab report 001's SE-ResNet — the same network with squeeze-excitation in every
 *   block (`reduction` 16, so 16 channels squeeze to 1) and projection shortcuts.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import { basicBlock } from "./_residual.ts";
import { convBnAct, dense, dropout, globalAvgPool, type NetContext, type T } from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

const depth = z.number().int().min(8).refine((d) => (d - 2) % 6 === 0, {
  error: (iss) =>
    `depth must be 6n + 2 (e.g. 20, 32, 44, 56, 110): current value is ${String(iss.input)}`,
});

function cifarShape<N extends string>(name: N, d: { depth: number; shortcut: "A" | "B" }) {
  return {
    name,
    shape: {
      /** 6n + 2: n basic blocks per stage. */
      depth: depth.default(d.depth),
      /** Channels of the three stages. */
      widths: z.array(positiveInt).length(3).default([16, 32, 64]),
      /** `"A"`: zero-padded identity (no params); `"B"`: 1×1 conv + BN projection. */
      shortcut: z.enum(["A", "B"]).default(d.shortcut),
      normalization: normalization.default("batch"),
      /** Dropout between the two convs of every block. */
      conv_dropout: rate.default(0),
      /** Dropout before the linear classifier. */
      fc_dropout: rate.default(0),
    },
  };
}

const cifar = cifarShape("resnet_cifar", { depth: 20, shortcut: "A" });
/** Options of `resnet_cifar`. */
export const resnetCifarSchema = modelSchema(cifar.name, cifar.shape);

const se = cifarShape("se_resnet", { depth: 14, shortcut: "B" });
/** Options of `se_resnet`. */
export const seResnetSchema = modelSchema(se.name, {
  ...se.shape,
  /** Squeeze-excitation reduction ratio r: hidden width max(1, C / r). */
  reduction: positiveInt.default(16),
});

/** Parsed options of a CIFAR-style ResNet. */
export type ResnetCifarOptions = z.infer<typeof resnetCifarSchema> | z.infer<typeof seResnetSchema>;

/** Builds `resnet_cifar` or `se_resnet`. 32×32: `→ [b,32,32,16] → [b,16,16,32] → [b,8,8,64] → [b,classes]` */
export function buildResnetCifar(o: ResnetCifarOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const n = (o.depth - 2) / 6;
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x: T = convBnAct(
    ctx,
    input,
    "stem.conv",
    {
      filters: o.widths[0],
      kernel: 3,
      padding: 1,
      bias: false,
    },
    "relu",
    { bn: "stem.bn", act: "stem.relu" },
  );
  o.widths.forEach((filters, stage) => {
    for (let b = 0; b < n; b++) {
      x = basicBlock(ctx, x, `layer${stage + 1}.block${b}`, {
        filters,
        stride: stage > 0 && b === 0 ? 2 : 1,
        bias: false,
        dropout: o.conv_dropout,
        shortcut: o.shortcut,
        se: o.name === "se_resnet" ? o.reduction : 0,
      });
    }
  });
  x = dropout(globalAvgPool(x, "head.pool"), "head.dropout", o.fc_dropout);
  const logits = dense(ctx, x, "head.fc", io.classes);
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: resnetCifarSchema, build: buildResnetCifar }),
  defineFamily({ schema: seResnetSchema, build: buildResnetCifar }),
]);
