/**
 * ImageNet-style ResNet (He et al. 2015, torchvision layout): 7×7/2 stem + 3×3/2 max pool, four
 * stages (64·2^i channels), global average pool, linear.
 *
 * - depth 18/34 use basic blocks `[2,2,2,2]` / `[3,4,6,3]`; 50/101/152 bottlenecks
 *   `[3,4,6,3]` / `[3,4,23,3]` / `[3,8,36,3]`. At 224×224×3 / 1000 classes ResNet-18 has
 *   11,689,512 params and ResNet-50 25,557,032.
 * - `{ name: resnet }` at 28×28×1 is the benchmark's ResNet-18 (`torch_peer.py`): `[b,28,28,1] →
 *   stem [b,7,7,64] → [b,7,7,64] → [b,4,4,128] → [b,2,2,256] → [b,1,1,512] → [b,classes]`.
 * - lab report 000's ResNet is the same with `conv_bias: true`.
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import { basicBlock, type BlockSpec, bottleneckBlock } from "./_residual.ts";
import {
  convBnAct,
  dense,
  dropout,
  globalAvgPool,
  maxPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** Blocks per stage for each standard depth. */
export const RESNET_STAGES: Record<18 | 34 | 50 | 101 | 152, number[]> = {
  18: [2, 2, 2, 2],
  34: [3, 4, 6, 3],
  50: [3, 4, 6, 3],
  101: [3, 4, 23, 3],
  152: [3, 8, 36, 3],
};

/** Options of `resnet`. */
export const resnetSchema = modelSchema("resnet", {
  /** 18, 34 (basic blocks) or 50, 101, 152 (bottlenecks). */
  depth: z.literal([18, 34, 50, 101, 152]).default(18),
  /** Blocks per stage; when set it replaces the list `depth` selects (block type still from depth). */
  blocks: z.array(positiveInt).min(1).optional(),
  /** Channels of the first stage; stage i has width·2^i. */
  width: positiveInt.default(64),
  /** Conv biases (lab report 000's ResNet has them, torchvision's has not). */
  conv_bias: z.boolean().default(false),
  normalization: normalization.default("batch"),
  /** Dropout between the convs of every block. */
  conv_dropout: rate.default(0),
  /** Dropout before the final linear layer. */
  fc_dropout: rate.default(0),
});

/** Parsed options of `resnet`. */
export type ResnetOptions = z.infer<typeof resnetSchema>;

/** Builds an ImageNet-style ResNet. */
export function buildResnet(o: ResnetOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const block = o.depth >= 50 ? bottleneckBlock : basicBlock;
  const input = tf.input({ name: "input", shape: io.inputShape });
  // [b,h,w,c] → [b,h/2,w/2,64] → max pool → [b,h/4,w/4,64]
  let x: T = convBnAct(
    ctx,
    input,
    "stem.conv",
    {
      filters: o.width,
      kernel: 7,
      stride: 2,
      padding: 3,
      bias: o.conv_bias,
    },
    "relu",
    { bn: "stem.bn", act: "stem.relu" },
  );
  x = maxPool(x, "stem.pool", { size: 3, stride: 2, padding: 1 });
  (o.blocks ?? RESNET_STAGES[o.depth]).forEach((count, stage) => {
    for (let b = 0; b < count; b++) {
      const spec: BlockSpec = {
        filters: o.width * 2 ** stage,
        stride: stage > 0 && b === 0 ? 2 : 1,
        bias: o.conv_bias,
        dropout: o.conv_dropout,
        shortcut: "B",
        se: 0,
      };
      x = block(ctx, x, `layer${stage + 1}.block${b}`, spec);
    }
  });
  x = dropout(globalAvgPool(x, "head.pool"), "head.dropout", o.fc_dropout);
  const logits = dense(ctx, x, "head.fc", io.classes);
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: resnetSchema, build: buildResnet }),
]);
