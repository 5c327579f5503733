// Generated from src/cn_abi.h by gen_abi.ts; do not edit (tests/backends/native/abi_test.ts
// checks it is current). The header's comments document every item.

export const ABI_VERSION = 5;
export const MAX_RANK = 8;

/** `enum cn_unary_op`. */
export const UnaryOp = {
  RELU: 0,
  RELU6: 1,
  SIGMOID: 2,
  EXP: 3,
  LOG: 4,
  SQRT: 5,
  RSQRT: 6,
  SQUARE: 7,
  NEG: 8,
  ABS: 9,
  TANH: 10,
  STEP: 11,
  ELU: 12,
  RECIPROCAL: 13,
  LEAKY_RELU: 14,
} as const;

/** `enum cn_binary_op`. */
export const BinaryOp = {
  ADD: 0,
  SUB: 1,
  MUL: 2,
  DIV: 3,
  MAX: 4,
  MIN: 5,
  SQUARED_DIFFERENCE: 6,
  MUL_STEP: 7,
  SIGMOID_GRAD: 8,
  TANH_GRAD: 9,
} as const;

/** `enum cn_activation`. */
export const Activation = {
  LINEAR: 0,
  RELU: 1,
  RELU6: 2,
  ELU: 3,
  SIGMOID: 4,
  LEAKY_RELU: 5,
} as const;

/** `enum cn_reduce_op`. */
export const ReduceOp = {
  SUM: 0,
  MEAN: 1,
  MAX: 2,
  MIN: 3,
} as const;

/** `enum cn_pool_kind`. */
export const PoolKind = {
  MAX: 0,
  AVG: 1,
} as const;

function address(t: Float32Array | undefined): bigint {
  return t === undefined
    ? 0n
    : Deno.UnsafePointer.value(Deno.UnsafePointer.of(t as Float32Array<ArrayBuffer>));
}

/** Fields of `cn_conv_params`. */
export interface ConvParams {
  n: number;
  ih: number;
  iw: number;
  ic: number;
  oh: number;
  ow: number;
  oc: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  groups: number;
  hasBias: number;
  activation: number;
  alpha: number;
}

/** `cn_conv_params` as C lays it out (21 four-byte fields). */
export function packConvParams(v: ConvParams): Int32Array {
  const i = new Int32Array(21);
  const f = new Float32Array(i.buffer);
  i[0] = v.n;
  i[1] = v.ih;
  i[2] = v.iw;
  i[3] = v.ic;
  i[4] = v.oh;
  i[5] = v.ow;
  i[6] = v.oc;
  i[7] = v.kh;
  i[8] = v.kw;
  i[9] = v.sh;
  i[10] = v.sw;
  i[11] = v.dh;
  i[12] = v.dw;
  i[13] = v.padTop;
  i[14] = v.padLeft;
  i[15] = v.padBottom;
  i[16] = v.padRight;
  i[17] = v.groups;
  i[18] = v.hasBias;
  i[19] = v.activation;
  f[20] = v.alpha;
  return i;
}

/** Fields of `cn_pool_params`. */
export interface PoolParams {
  n: number;
  ih: number;
  iw: number;
  c: number;
  oh: number;
  ow: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  kind: number;
}

/** `cn_pool_params` as C lays it out (15 four-byte fields). */
export function packPoolParams(v: PoolParams): Int32Array {
  const i = new Int32Array(15);
  i[0] = v.n;
  i[1] = v.ih;
  i[2] = v.iw;
  i[3] = v.c;
  i[4] = v.oh;
  i[5] = v.ow;
  i[6] = v.kh;
  i[7] = v.kw;
  i[8] = v.sh;
  i[9] = v.sw;
  i[10] = v.padTop;
  i[11] = v.padLeft;
  i[12] = v.padBottom;
  i[13] = v.padRight;
  i[14] = v.kind;
  return i;
}

/** Fields of `cn_matmul_params`. */
export interface MatmulParams {
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  transposeA: number;
  transposeB: number;
  biasLength: number;
  activation: number;
  alpha: number;
}

/** `cn_matmul_params` as C lays it out (10 four-byte fields). */
export function packMatmulParams(v: MatmulParams): Int32Array {
  const i = new Int32Array(10);
  const f = new Float32Array(i.buffer);
  i[0] = v.batchA;
  i[1] = v.batchB;
  i[2] = v.m;
  i[3] = v.n;
  i[4] = v.k;
  i[5] = v.transposeA;
  i[6] = v.transposeB;
  i[7] = v.biasLength;
  i[8] = v.activation;
  f[9] = v.alpha;
  return i;
}

/** Fields of `cn_strided_params`. */
export interface StridedParams {
  rank: number;
  shape: readonly number[];
  strideA: readonly number[];
  strideB: readonly number[];
}

/** `cn_strided_params` as C lays it out (25 four-byte fields). */
export function packStridedParams(v: StridedParams): Int32Array {
  const i = new Int32Array(25);
  i[0] = v.rank;
  if (v.shape.length > 8) {
    throw new RangeError(`cn_strided_params.shape holds at most 8 values, got ${v.shape.length}`);
  }
  i.set(v.shape, 1);
  if (v.strideA.length > 8) {
    throw new RangeError(
      `cn_strided_params.stride_a holds at most 8 values, got ${v.strideA.length}`,
    );
  }
  i.set(v.strideA, 9);
  if (v.strideB.length > 8) {
    throw new RangeError(
      `cn_strided_params.stride_b holds at most 8 values, got ${v.strideB.length}`,
    );
  }
  i.set(v.strideB, 17);
  return i;
}

/** Fields of `cn_adam_params`. */
export interface AdamParams {
  n: number;
  beta1: number;
  beta2: number;
  eps: number;
  stepSize: number;
  biasCorrection2: number;
  l2: number;
  baseScale: number;
  oneMinusBeta1: number;
  oneMinusBeta2: number;
}

/** `cn_adam_params` as C lays it out (10 four-byte fields). */
export function packAdamParams(v: AdamParams): Int32Array {
  const i = new Int32Array(10);
  const f = new Float32Array(i.buffer);
  i[0] = v.n;
  f[1] = v.beta1;
  f[2] = v.beta2;
  f[3] = v.eps;
  f[4] = v.stepSize;
  f[5] = v.biasCorrection2;
  f[6] = v.l2;
  f[7] = v.baseScale;
  f[8] = v.oneMinusBeta1;
  f[9] = v.oneMinusBeta2;
  return i;
}

/** Fields of `cn_sgd_params`. */
export interface SgdParams {
  n: number;
  applyDecay: number;
  hasMomentum: number;
  nesterov: number;
  lr: number;
  momentum: number;
  weightDecay: number;
}

/** `cn_sgd_params` as C lays it out (7 four-byte fields). */
export function packSgdParams(v: SgdParams): Int32Array {
  const i = new Int32Array(7);
  const f = new Float32Array(i.buffer);
  i[0] = v.n;
  i[1] = v.applyDecay;
  i[2] = v.hasMomentum;
  i[3] = v.nesterov;
  f[4] = v.lr;
  f[5] = v.momentum;
  f[6] = v.weightDecay;
  return i;
}

/** Fields of `cn_batchnorm_params`. */
export interface BatchnormParams {
  rows: number;
  channels: number;
  meanLength: number;
  varianceLength: number;
  offsetLength: number;
  scaleLength: number;
  epsilon: number;
  momentum: number;
}

/** `cn_batchnorm_params` as C lays it out (8 four-byte fields). */
export function packBatchnormParams(v: BatchnormParams): Int32Array {
  const i = new Int32Array(8);
  const f = new Float32Array(i.buffer);
  i[0] = v.rows;
  i[1] = v.channels;
  i[2] = v.meanLength;
  i[3] = v.varianceLength;
  i[4] = v.offsetLength;
  i[5] = v.scaleLength;
  f[6] = v.epsilon;
  f[7] = v.momentum;
  return i;
}

/** Fields of `cn_batchnorm_tensors`. */
export interface BatchnormTensors {
  x?: Float32Array;
  dy?: Float32Array;
  mean?: Float32Array;
  variance?: Float32Array;
  offset?: Float32Array;
  scale?: Float32Array;
  movingMean?: Float32Array;
  movingVariance?: Float32Array;
  y?: Float32Array;
  dx?: Float32Array;
  batchMean?: Float32Array;
  batchVariance?: Float32Array;
  newMovingMean?: Float32Array;
  newMovingVariance?: Float32Array;
  dmean?: Float32Array;
  dvariance?: Float32Array;
  dscale?: Float32Array;
  doffset?: Float32Array;
}

/** `cn_batchnorm_tensors` as C lays it out: one address per field, 0 for an absent tensor. */
export function packBatchnormTensors(v: BatchnormTensors): BigUint64Array {
  const out = new BigUint64Array(18);
  out[0] = address(v.x);
  out[1] = address(v.dy);
  out[2] = address(v.mean);
  out[3] = address(v.variance);
  out[4] = address(v.offset);
  out[5] = address(v.scale);
  out[6] = address(v.movingMean);
  out[7] = address(v.movingVariance);
  out[8] = address(v.y);
  out[9] = address(v.dx);
  out[10] = address(v.batchMean);
  out[11] = address(v.batchVariance);
  out[12] = address(v.newMovingMean);
  out[13] = address(v.newMovingVariance);
  out[14] = address(v.dmean);
  out[15] = address(v.dvariance);
  out[16] = address(v.dscale);
  out[17] = address(v.doffset);
  return out;
}

/** Fields of `cn_resize_params`. */
export interface ResizeParams {
  n: number;
  ih: number;
  iw: number;
  c: number;
  oh: number;
  ow: number;
  alignCorners: number;
  halfPixelCenters: number;
}

/** `cn_resize_params` as C lays it out (8 four-byte fields). */
export function packResizeParams(v: ResizeParams): Int32Array {
  const i = new Int32Array(8);
  i[0] = v.n;
  i[1] = v.ih;
  i[2] = v.iw;
  i[3] = v.c;
  i[4] = v.oh;
  i[5] = v.ow;
  i[6] = v.alignCorners;
  i[7] = v.halfPixelCenters;
  return i;
}

/** The shim's exported functions, as Deno.dlopen takes them. */
export const symbols = {
  /** () */
  cn_abi_version: { parameters: [], result: "i32" },
  /** () */
  cn_build_id: { parameters: [], result: "pointer" },
  /** () */
  cn_onednn_version: { parameters: [], result: "i32" },
  /** (threads: int32_t) */
  cn_set_threads: { parameters: ["i32"], result: "i32" },
  /** () */
  cn_last_error: { parameters: [], result: "pointer" },
  /** (p: const cn_conv_params*, x: const float*, w: const float*, bias: const float*, y: float*) */
  cn_conv_fwd: { parameters: ["buffer", "buffer", "buffer", "buffer", "buffer"], result: "i32" },
  /** (p: const cn_conv_params*, dy: const float*, w: const float*, dx: float*) */
  cn_conv_bwd_data: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "i32" },
  /** (p: const cn_conv_params*, x: const float*, dy: const float*, dw: float*) */
  cn_conv_bwd_weights: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "i32" },
  /** (p: const cn_pool_params*, x: const float*, y: float*) */
  cn_pool_fwd: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  /** (p: const cn_pool_params*, x: const float*, dy: const float*, dx: float*) */
  cn_pool_bwd: { parameters: ["buffer", "buffer", "buffer", "buffer"], result: "i32" },
  /** (p: const cn_matmul_params*, a: const float*, b: const float*, bias: const float*, c: float*) */
  cn_matmul: { parameters: ["buffer", "buffer", "buffer", "buffer", "buffer"], result: "i32" },
  /** (op: int32_t, p: const cn_strided_params*, a: const float*, b: const float*, out: float*) */
  cn_binary: { parameters: ["i32", "buffer", "buffer", "buffer", "buffer"], result: "i32" },
  /** (op: int32_t, n: int32_t, x: const float*, y: float*, alpha: float) */
  cn_unary: { parameters: ["i32", "i32", "buffer", "buffer", "f32"], result: "i32" },
  /** (n: int32_t, x: const float*, y: float*, lo: float, hi: float) */
  cn_clip: { parameters: ["i32", "buffer", "buffer", "f32", "f32"], result: "i32" },
  /** (n: int32_t, x: const float*, dy: const float*, dx: float*, lo: float, hi: float) */
  cn_clip_grad: { parameters: ["i32", "buffer", "buffer", "buffer", "f32", "f32"], result: "i32" },
  /** (n: int32_t, x: const float*, y: float*, seed: int32_t, threshold: int32_t, scale: float) */
  cn_dropout: { parameters: ["i32", "buffer", "buffer", "i32", "i32", "f32"], result: "i32" },
  /** (p: const cn_strided_params*, x: const float*, out: float*) */
  cn_copy: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  /** (rank: int32_t, shape: const int32_t*, before: const int32_t*, after: const int32_t*, x: const float*, out: float*, value: float) */
  cn_pad: {
    parameters: ["i32", "buffer", "buffer", "buffer", "buffer", "buffer", "f32"],
    result: "i32",
  },
  /** (op: int32_t, outer: int32_t, r: int32_t, inner: int32_t, x: const float*, y: float*) */
  cn_reduce: { parameters: ["i32", "i32", "i32", "i32", "buffer", "buffer"], result: "i32" },
  /** (p: const cn_batchnorm_params*, t: const cn_batchnorm_tensors*) */
  cn_batchnorm: { parameters: ["buffer", "buffer"], result: "i32" },
  /** (p: const cn_batchnorm_params*, t: const cn_batchnorm_tensors*) */
  cn_batchnorm_grad: { parameters: ["buffer", "buffer"], result: "i32" },
  /** (p: const cn_batchnorm_params*, t: const cn_batchnorm_tensors*) */
  cn_batchnorm_train: { parameters: ["buffer", "buffer"], result: "i32" },
  /** (p: const cn_batchnorm_params*, t: const cn_batchnorm_tensors*) */
  cn_batchnorm_train_grad: { parameters: ["buffer", "buffer"], result: "i32" },
  /** (p: const cn_resize_params*, x: const float*, y: float*) */
  cn_resize_bilinear: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  /** (p: const cn_sgd_params*, w: const float*, g: const float*, buf: const float*, w1: float*, buf1: float*) */
  cn_sgd: {
    parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
  /** (p: const cn_adam_params*, w: const float*, g: const float*, m: const float*, v: const float*, w1: float*, m1: float*, v1: float*) */
  cn_adam: {
    parameters: ["buffer", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer", "buffer"],
    result: "i32",
  },
} as const satisfies Deno.ForeignLibraryInterface;
