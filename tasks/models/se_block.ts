/**
 * Squeeze-excitation (Hu et al. 2018) as used by lab report 001's SE-ResNet: global average pool →
 * Linear(C, C/r) → ReLU → Linear(C/r, C) → sigmoid, then scale the channels.
 */
import * as tf from "@tensorflow/tfjs";
import { activation, channels, dense, globalAvgPool, type NetContext, type T } from "./_net.ts";

/**
 * `[b,h,w,c] → [b,h,w,c]`, channels rescaled by learned gates. The hidden width is
 * `max(1, floor(c / reduction))` (lab report 001: 16 channels, r = 16 → 1).
 */
export function squeezeExcite(ctx: NetContext, x: T, p: string, reduction: number): T {
  const c = channels(x);
  let s = globalAvgPool(x, `${p}.pool`); // [b,c]
  s = activation(
    dense(ctx, s, `${p}.fc1`, Math.max(1, Math.floor(c / reduction))),
    `${p}.relu`,
    "relu",
  );
  s = activation(dense(ctx, s, `${p}.fc2`, c), `${p}.sigmoid`, "sigmoid");
  const gate = tf.layers.reshape({ name: `${p}.reshape`, targetShape: [1, 1, c] }).apply(s) as T;
  return tf.layers.multiply({ name: `${p}.scale` }).apply([x, gate]) as T; // broadcast over h, w
}
