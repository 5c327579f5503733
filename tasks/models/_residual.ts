/** Private: residual blocks shared by the ResNet families (torchvision / He et al. layouts). */
import { ChannelPad } from "./channel_pad_layer.ts";
import {
  activation,
  add,
  batchNorm,
  channels,
  conv2d,
  convBnAct,
  dropout,
  maxPool,
  type NetContext,
  type T,
} from "./_net.ts";
import { squeezeExcite } from "./se_block.ts";

/** Settings of one residual block. */
export interface BlockSpec {
  /** Output channels of the block's 3×3 convs (bottleneck: of its inner convs; out = 4×). */
  filters: number;
  stride: number;
  /** Conv biases (lab report 000's ResNet has them; torchvision's has not). */
  bias: boolean;
  /** Dropout between the block's convs; 0 for none. */
  dropout: number;
  /**
   * Shortcut when the shape changes: `"B"` 1×1 conv + BN projection (torchvision), `"A"` strided
   * identity with zero-padded channels (He et al.'s CIFAR ResNets, no parameters).
   */
  shortcut: "A" | "B";
  /** Squeeze-excitation reduction ratio applied to the residual branch; 0 for none. */
  se: number;
}

/** The shortcut branch: identity, option A, or option B projection. */
function shortcut(ctx: NetContext, x: T, p: string, outC: number, s: BlockSpec): T {
  if (s.stride === 1 && channels(x) === outC) return x;
  if (s.shortcut === "B") {
    const y = conv2d(ctx, x, `${p}.shortcut.conv`, {
      filters: outC,
      kernel: 1,
      stride: s.stride,
      bias: s.bias,
    });
    return batchNorm(ctx, y, `${p}.shortcut.bn`);
  }
  // x[:, ::2, ::2, :] as a 1×1 max pool, then zero channels split evenly (akin to F.pad).
  const sub = s.stride === 1 ? x : maxPool(x, `${p}.shortcut.subsample`, {
    size: 1,
    stride: s.stride,
  });
  const extra = outC - channels(x);
  const before = Math.floor(extra / 2);
  return new ChannelPad({ name: `${p}.shortcut.pad`, before, after: extra - before })
    .apply(sub) as T;
}

/** Basic block: conv3×3 → BN → ReLU → conv3×3 → BN (→ SE), + shortcut, ReLU. */
export function basicBlock(ctx: NetContext, x: T, p: string, s: BlockSpec): T {
  let y = convBnAct(
    ctx,
    x,
    `${p}.conv1`,
    {
      filters: s.filters,
      kernel: 3,
      stride: s.stride,
      padding: 1,
      bias: s.bias,
    },
    "relu",
    { bn: `${p}.bn1`, act: `${p}.relu1` },
  );
  y = dropout(y, `${p}.dropout`, s.dropout);
  y = conv2d(ctx, y, `${p}.conv2`, { filters: s.filters, kernel: 3, padding: 1, bias: s.bias });
  y = batchNorm(ctx, y, `${p}.bn2`);
  if (s.se > 0) y = squeezeExcite(ctx, y, `${p}.se`, s.se);
  const sum = add([y, shortcut(ctx, x, p, s.filters, s)], `${p}.add`);
  return activation(sum, `${p}.relu`, "relu");
}

/**
 * Bottleneck block (ResNet-50+, torchvision v1.5: stride on the 3×3 conv):
 * 1×1 → 3×3 → 1×1 (4× filters), + shortcut, ReLU.
 */
export function bottleneckBlock(ctx: NetContext, x: T, p: string, s: BlockSpec): T {
  const outC = s.filters * 4;
  let y = convBnAct(ctx, x, `${p}.conv1`, { filters: s.filters, kernel: 1, bias: s.bias }, "relu", {
    bn: `${p}.bn1`,
    act: `${p}.relu1`,
  });
  y = convBnAct(
    ctx,
    y,
    `${p}.conv2`,
    {
      filters: s.filters,
      kernel: 3,
      stride: s.stride,
      padding: 1,
      bias: s.bias,
    },
    "relu",
    { bn: `${p}.bn2`, act: `${p}.relu2` },
  );
  y = dropout(y, `${p}.dropout`, s.dropout);
  y = conv2d(ctx, y, `${p}.conv3`, { filters: outC, kernel: 1, bias: s.bias });
  y = batchNorm(ctx, y, `${p}.bn3`);
  if (s.se > 0) y = squeezeExcite(ctx, y, `${p}.se`, s.se);
  const sum = add([y, shortcut(ctx, x, p, outC, s)], `${p}.add`);
  return activation(sum, `${p}.relu`, "relu");
}
