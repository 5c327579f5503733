/**
 * Dropout as one op whose mask is a pure function of (seed, element index), so it is never stored:
 * the forward pass multiplies x by it, and the gradient multiplies dy by the same mask, recomputed.
 * tfjs' `tf.dropout` draws the mask element by element in JavaScript (seedrandom's alea), then runs
 * four full-size kernels to turn it into multipliers, and its Multiply saves the mask for the
 * backward pass; the Tiny ImageNet ablations spent up to 40 % of a training step there.
 *
 * The mask is defined here once, by {@linkcode dropoutMultipliers}: the `native` backend's
 * `CnnlabDropout` kernel (src/unary.cpp, `cn_dropout`) computes the same bits, and every other
 * backend multiplies by the array this module builds. A value is kept when the top 24 bits of a
 * keyed hash of its index reach `threshold = ceil(rate · 2^24)`, and a kept value is multiplied by
 * `fround(1 / fround(1 − rate))`, the multiplier tfjs' dropout uses.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Kernel name of the native dropout kernel. */
export const DROPOUT = "CnnlabDropout";

/** The attributes that fix one dropout mask (the kernel's attrs). */
export interface DropoutAttrs {
  /** 32-bit seed of the mask, as a signed int32 (the FFI's integer type). */
  seed: number;
  /** A value is kept when its 24 hash bits are ≥ this: `ceil(rate · 2^24)`. */
  threshold: number;
  /** Multiplier of kept values: `fround(1 / fround(1 − rate))`. */
  scale: number;
}

/** The mask attributes of dropping `rate` of the values under `seed` (any 32-bit integer). */
export function dropoutAttrs(rate: number, seed: number): DropoutAttrs {
  if (!(rate >= 0 && rate < 1)) {
    throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  }
  return {
    seed: seed | 0,
    threshold: Math.ceil(rate * 2 ** 24),
    scale: Math.fround(1 / Math.fround(1 - rate)),
  };
}

// MurmurHash3's 32-bit finalizer: a bijection whose output bits each depend on every input bit.
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The two keys of `seed`: two rounds keyed by the seed, so masks of different seeds are not
 * shifted copies of one sequence. */
function maskKeys(seed: number): [number, number] {
  return [mix32((seed ^ 0x9e3779b9) >>> 0), mix32((seed + 0x7f4a7c15) >>> 0)];
}

function keyedBits(index: number, keyA: number, keyB: number): number {
  const first = mix32((Math.imul(index, 0x9e3779b9) ^ keyA) >>> 0);
  return mix32((first + keyB) >>> 0) >>> 8;
}

/** The mask's 24 random bits of element `index` (< 2^32) under `seed`. */
export function dropoutBits(seed: number, index: number): number {
  const [keyA, keyB] = maskKeys(seed);
  return keyedBits(index, keyA, keyB);
}

/** The mask of `n` values as multipliers (0 or `attrs.scale`): the one definition of the mask. */
export function dropoutMultipliers(n: number, attrs: DropoutAttrs): Float32Array {
  const out = new Float32Array(n);
  const [keyA, keyB] = maskKeys(attrs.seed);
  for (let i = 0; i < n; i++) {
    out[i] = keyedBits(i, keyA, keyB) >= attrs.threshold ? attrs.scale : 0;
  }
  return out;
}

function applyMask(t: tf.Tensor, attrs: DropoutAttrs): tf.Tensor {
  if (tf.getKernel(DROPOUT, tf.getBackend()) !== undefined) {
    return tf.engine().runKernel(
      DROPOUT,
      { x: t },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor;
  }
  return tf.tidy(() => tf.mul(t, tf.tensor(dropoutMultipliers(t.size, attrs), t.shape)));
}

/**
 * Drops `rate` of x's values (chosen by `seed`) and scales the rest by 1 / (1 − rate); the same
 * values as {@linkcode dropoutMultipliers} on every backend. Differentiable: the gradient is dy
 * under the same mask. `rate` 0 returns x.
 */
export function dropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  if (rate === 0) return x;
  if (x.dtype !== "float32") throw new TypeError(`dropout needs float32 values, got ${x.dtype}`);
  if (x.size >= 2 ** 31) {
    throw new RangeError(`dropout supports fewer than 2^31 values, got ${x.size}`);
  }
  const attrs = dropoutAttrs(rate, seed);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: applyMask(args[0] as tf.Tensor, attrs),
    gradFunc: (dy: tf.Tensor) => applyMask(dy, attrs),
  }));
  return op(x);
}
