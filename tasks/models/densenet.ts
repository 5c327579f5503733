/**
 * DenseNet (Huang et al. 2017), torchvision layout.
 *
 * - `densenet`: DenseNet-BC — dense layers BN → ReLU → 1×1 conv (bn_size·k) → BN → ReLU → 3×3 conv
 *   (k), transitions BN → ReLU → 1×1 conv (× compression) → 2×2 avg pool, final BN → ReLU → global
 *   pool → linear. Depth 121/169/201/161 selects block sizes, growth rate and stem width;
 *   `block_sizes`, `growth_rate`, `init_features` override them. DenseNet-121 at 224×224×3 / 1000
 *   classes: 7,978,856 params. `stem: "cifar"` swaps the 7×7/2 stem + max pool for one 3×3 conv
 *   (DenseNet-BC for 32×32 inputs). Lab report 000's DenseNet (705,290 params, see
 *   configs/base/lab000-models.yaml) is the 121 layout with `stem_bias`, no `head_norm`, dropout
 *   on the logits and untrained dense layers (`train_dense_layers: false`).
 * - `densenet_simple`: lab report 001's SimpleDenseNet — 7×7/2 stem without BN + max pool, dense
 *   layers BN → ReLU → 3×3 conv (growth 12, no bottleneck), transitions to fixed widths
 *   (128, 64), global average pool, linear (no final BN).
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type ModelIO, modelSchema, normalization, positiveInt, rate } from "./_family.ts";
import {
  activation,
  avgPool,
  batchNorm,
  channels,
  concat,
  conv2d,
  convBnAct,
  dense,
  dropout,
  globalAvgPool,
  maxPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { defineFamilies, defineFamily } from "./model_family.ts";

/** Standard configurations: block sizes, growth rate, stem width. */
export const DENSENET_CONFIGS: Record<
  121 | 169 | 201 | 161,
  { blocks: number[]; growth: number; init: number }
> = {
  121: { blocks: [6, 12, 24, 16], growth: 32, init: 64 },
  169: { blocks: [6, 12, 32, 32], growth: 32, init: 64 },
  201: { blocks: [6, 12, 48, 32], growth: 32, init: 64 },
  161: { blocks: [6, 12, 36, 24], growth: 48, init: 96 },
};

/** Options of `densenet`. */
export const densenetSchema = modelSchema("densenet", {
  depth: z.literal([121, 169, 201, 161]).default(121),
  /** Dense layers per block; replaces the depth's list when set. */
  block_sizes: z.array(positiveInt).min(1).optional(),
  /** k, channels each dense layer adds; replaces the depth's when set. */
  growth_rate: positiveInt.optional(),
  /** Stem width; replaces the depth's when set. */
  init_features: positiveInt.optional(),
  /** Bottleneck width as a multiple of k. */
  bn_size: positiveInt.default(4),
  /** θ: transitions keep floor(θ·channels). */
  compression: z.number().gt(0).max(1).default(0.5),
  /** `"imagenet"`: 7×7/2 conv + 3×3/2 max pool; `"cifar"`: one 3×3 conv. */
  stem: z.enum(["imagenet", "cifar"]).default("imagenet"),
  normalization: normalization.default("batch"),
  /** Dropout after every dense layer (torchvision's drop_rate). */
  conv_dropout: rate.default(0),
  fc_dropout: rate.default(0),
  /** Where `fc_dropout` goes: on the pooled `features` before the Linear, or on its `output`. */
  fc_dropout_at: z.enum(["features", "output"]).default("features"),
  /** A bias in the 7×7 stem conv (lab report 000's `nn.Conv2d` default). */
  stem_bias: z.boolean().default(false),
  /** The final BN → ReLU before the global pool (torchvision); lab report 000 has none. */
  head_norm: z.boolean().default(true),
  /**
   * `false` keeps every dense layer's weights (convs and BN scales) at their initial values and
   * out of the trainable count: lab report 000's DenseNet holds its dense layers in a plain Python
   * list, so PyTorch neither registers nor trains them, and torchinfo's 705,290 counts only the
   * stem, the transitions and the Linear. They still run in the forward pass.
   */
  train_dense_layers: z.boolean().default(true),
});

/** Options of `densenet_simple` (lab report 001). */
export const densenetSimpleSchema = modelSchema("densenet_simple", {
  block_sizes: z.array(positiveInt).min(1).default([3, 3, 3]),
  growth_rate: positiveInt.default(12),
  /** Output widths of the transitions between blocks (one fewer than blocks). */
  transition_channels: z.array(positiveInt).default([128, 64]),
  init_features: positiveInt.default(64),
  normalization: normalization.default("batch"),
  conv_dropout: rate.default(0),
  fc_dropout: rate.default(0),
});

/** Parsed options of a DenseNet. */
export type DensenetOptions = z.infer<typeof densenetSchema>;
/** Parsed options of `densenet_simple`. */
export type DensenetSimpleOptions = z.infer<typeof densenetSimpleSchema>;

/** One dense layer's new features: [bottleneck] → BN → ReLU → 3×3 conv (k). */
function denseLayer(ctx: NetContext, x: T, p: string, k: number, bnSize: number, drop: number): T {
  let y = activation(batchNorm(ctx, x, `${p}.bn1`), `${p}.relu1`, "relu");
  if (bnSize > 0) {
    y = conv2d(ctx, y, `${p}.conv1`, { filters: bnSize * k, kernel: 1, bias: false });
    y = activation(batchNorm(ctx, y, `${p}.bn2`), `${p}.relu2`, "relu");
  }
  y = conv2d(ctx, y, `${p}.conv2`, { filters: k, kernel: 3, padding: 1, bias: false });
  return dropout(y, `${p}.dropout`, drop);
}

/** A dense block: every layer sees the concatenation of all earlier maps. `c → c + n·k` */
function denseBlock(
  ctx: NetContext,
  x: T,
  p: string,
  n: number,
  k: number,
  bnSize: number,
  drop: number,
): T {
  let y = x;
  for (let i = 0; i < n; i++) {
    const fresh = denseLayer(ctx, y, `${p}.layer${i + 1}`, k, bnSize, drop);
    y = concat([y, fresh], `${p}.layer${i + 1}.concat`);
  }
  return y;
}

/** BN → ReLU → 1×1 conv → 2×2 avg pool. `[b,h,w,c] → [b,h/2,w/2,out]` */
function transition(ctx: NetContext, x: T, p: string, out: number): T {
  const y = activation(batchNorm(ctx, x, `${p}.bn`), `${p}.relu`, "relu");
  return avgPool(
    conv2d(ctx, y, `${p}.conv`, { filters: out, kernel: 1, bias: false }),
    `${p}.pool`,
    {
      size: 2,
    },
  );
}

/** Builds `densenet`. 224×224: `→ [b,56,56,64] → … → [b,7,7,1024] → [b,classes]` for 121. */
export function buildDensenet(o: DensenetOptions, io: ModelIO): tf.LayersModel {
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const std = DENSENET_CONFIGS[o.depth];
  const blocks = o.block_sizes ?? std.blocks;
  const k = o.growth_rate ?? std.growth;
  const init = o.init_features ?? std.init;
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x: T;
  if (o.stem === "imagenet") {
    x = convBnAct(
      ctx,
      input,
      "stem.conv",
      {
        filters: init,
        kernel: 7,
        stride: 2,
        padding: 3,
        bias: o.stem_bias,
      },
      "relu",
      { bn: "stem.bn", act: "stem.relu" },
    );
    x = maxPool(x, "stem.pool", { size: 3, stride: 2, padding: 1 });
  } else {
    x = conv2d(ctx, input, "stem.conv", { filters: init, kernel: 3, padding: 1, bias: false });
  }
  blocks.forEach((n, i) => {
    x = denseBlock(ctx, x, `block${i + 1}`, n, k, o.bn_size, o.conv_dropout);
    if (i < blocks.length - 1) {
      x = transition(ctx, x, `transition${i + 1}`, Math.floor(channels(x) * o.compression));
    }
  });
  if (o.head_norm) x = activation(batchNorm(ctx, x, "head.bn"), "head.relu", "relu");
  x = globalAvgPool(x, "head.pool");
  const atOutput = o.fc_dropout_at === "output";
  if (!atOutput) x = dropout(x, "head.dropout", o.fc_dropout);
  let logits = dense(ctx, x, "head.fc", io.classes);
  if (atOutput) logits = dropout(logits, "head.fc.dropout", o.fc_dropout);
  const model = tf.model({ name: o.name, inputs: input, outputs: logits });
  if (!o.train_dense_layers) {
    for (const layer of model.layers) {
      if (/^block\d+\.layer\d+\./.test(layer.name)) layer.trainable = false;
    }
  }
  return model;
}

/** Builds `densenet_simple`. 32×32: `→ [b,8,8,64] → [b,8,8,100] → [b,4,4,128] → … → [b,classes]` */
export function buildDensenetSimple(o: DensenetSimpleOptions, io: ModelIO): tf.LayersModel {
  if (o.transition_channels.length !== o.block_sizes.length - 1) {
    throw new Error(
      `densenet_simple needs one transition width fewer than blocks: ${o.block_sizes.length} blocks, transition_channels [${o.transition_channels}]`,
    );
  }
  const ctx: NetContext = { seed: io.seed, normalization: o.normalization };
  const input = tf.input({ name: "input", shape: io.inputShape });
  let x = conv2d(ctx, input, "stem.conv", {
    filters: o.init_features,
    kernel: 7,
    stride: 2,
    padding: 3,
    bias: false,
  });
  // No ReLU precedes this pool: padded cells must not win (maxPool pads with the lowest float).
  x = maxPool(x, "stem.pool", { size: 3, stride: 2, padding: 1 });
  o.block_sizes.forEach((n, i) => {
    x = denseBlock(ctx, x, `block${i + 1}`, n, o.growth_rate, 0, o.conv_dropout);
    if (i < o.block_sizes.length - 1) {
      x = transition(ctx, x, `transition${i + 1}`, o.transition_channels[i]);
    }
  });
  x = dropout(globalAvgPool(x, "head.pool"), "head.dropout", o.fc_dropout);
  const logits = dense(ctx, x, "head.fc", io.classes);
  return tf.model({ name: o.name, inputs: input, outputs: logits });
}

/** The ImageNet stem needs at least 32×32 to leave a 1×1 map after the last transition. */
export function densenetInputShape(
  o: DensenetOptions | DensenetSimpleOptions,
  data: [number, number, number],
): [number, number, number] {
  if (o.name === "densenet_simple" || o.stem === "cifar") return data;
  const [h, w, c] = data;
  return [Math.max(h, 32), Math.max(w, 32), c];
}

/** The models this file defines (see model_family.ts). */
export const MODEL_FAMILIES = defineFamilies(import.meta.url, [
  defineFamily({ schema: densenetSchema, build: buildDensenet, inputShape: densenetInputShape }),
  defineFamily({
    schema: densenetSimpleSchema,
    build: buildDensenetSimple,
    inputShape: densenetInputShape,
  }),
]);
