/**
 * The two kernels of tasks/ops/batch_norm_training.ts for the wasm backend, two passes over the
 * data each. Composed from tfjs ops the pair costs ~20 wasm kernels per layer, most of them
 * channel-broadcasting element-wise ops that tfjs-backend-wasm runs 10× slower than same-shape
 * ones (25 of a ~70 ms LeNet step).
 * @module
 */
import type { KernelBackend, KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from "../../ops/batch_norm_training.ts";
import { foldChannels, repeatChannels, rowsPerBlock } from "./_channel_rows.ts";
import { heapView, makeOutput } from "./_heap.ts";

type Inputs = Record<string, TensorInfo>;

/** `[rows, channels]` of a float32 `[..., channels]` tensor. */
function layout(x: TensorInfo): [number, number] {
  const c = x.shape[x.shape.length - 1];
  if (x.dtype !== "float32" || c === undefined || c === 0) {
    throw new Error(
      `${BATCH_NORM_TRAINING} on wasm needs a float32 tensor with channels, got ${x.dtype} [${x.shape}]`,
    );
  }
  return [x.shape.reduce((a, b) => a * b, 1) / c, c];
}

function f32(backend: KernelBackend, info: TensorInfo): Float32Array {
  return heapView(backend, info) as Float32Array;
}

/**
 * Inputs `x, scale, offset, movingMean, movingVariance`; outputs `[y, mean, variance (biased),
 * newMovingMean, newMovingVariance (unbiased statistic)]`. The statistics are float64 sums of
 * `x` shifted by its first row, which keeps the one-pass variance accurate.
 */
function batchNormTraining(
  args: { inputs: Inputs; backend: KernelBackend; attrs: Record<string, unknown> },
): TensorInfo[] {
  const { inputs, backend } = args;
  const eps = args.attrs.varianceEpsilon as number;
  const momentum = args.attrs.momentum as number;
  const [rows, c] = layout(inputs.x);
  const outs = [
    makeOutput(backend, inputs.x.shape, "float32"),
    ...[0, 1, 2, 3].map(() => makeOutput(backend, [c], "float32")),
  ];
  // Views only after every allocation: growing the heap detaches earlier ones.
  const x = f32(backend, inputs.x);
  const [y, mean, variance, newMean, newVariance] = outs.map((o) => f32(backend, o));
  const k = rowsPerBlock(rows, c);
  const width = c * k;
  const shift = repeatChannels(x.subarray(0, c), k);
  const s1 = new Float64Array(width);
  const s2 = new Float64Array(width);
  for (let base = 0; base < x.length; base += width) {
    for (let j = 0; j < width; j++) {
      const d = x[base + j] - shift[j];
      s1[j] += d;
      s2[j] += d * d;
    }
  }
  const [sum, sumSq] = [foldChannels(s1, c), foldChannels(s2, c)];
  const [scale, offset] = [f32(backend, inputs.scale), f32(backend, inputs.offset)];
  const [movingMean, movingVariance] = [
    f32(backend, inputs.movingMean),
    f32(backend, inputs.movingVariance),
  ];
  const mul = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const m = shift[j] + sum[j] / rows;
    const v = Math.max(0, (sumSq[j] - (sum[j] * sum[j]) / rows) / rows);
    mean[j] = m;
    variance[j] = v;
    const unbiased = rows > 1 ? (v * rows) / (rows - 1) : v;
    newMean[j] = (1 - momentum) * movingMean[j] + momentum * m;
    newVariance[j] = (1 - momentum) * movingVariance[j] + momentum * unbiased;
    mul[j] = scale[j] / Math.sqrt(v + eps);
  }
  const [meanRow, mulRow, offsetRow] = [mean, mul, offset].map((v) => repeatChannels(v, k));
  for (let base = 0; base < x.length; base += width) {
    for (let j = 0; j < width; j++) {
      y[base + j] = (x[base + j] - meanRow[j]) * mulRow[j] + offsetRow[j];
    }
  }
  return outs;
}

/**
 * Inputs `x, dy, mean, variance, scale`; outputs `[dx, dscale, doffset]` of the closed form
 * dx = scale·r·(dy − Σdy/n − x̂·Σ(dy·x̂)/n), r = 1/√(variance + ε), x̂ = (x − mean)·r, which is
 * dx = a·dy + b·(x − mean) + d per channel.
 */
function batchNormTrainingGrad(
  args: { inputs: Inputs; backend: KernelBackend; attrs: Record<string, unknown> },
): TensorInfo[] {
  const { inputs, backend } = args;
  const eps = args.attrs.varianceEpsilon as number;
  const [rows, c] = layout(inputs.x);
  const outs = [
    makeOutput(backend, inputs.x.shape, "float32"),
    makeOutput(backend, [c], "float32"),
    makeOutput(backend, [c], "float32"),
  ];
  const [x, dy, mean, variance, scale] = [
    inputs.x,
    inputs.dy,
    inputs.mean,
    inputs.variance,
    inputs.scale,
  ].map((t) => f32(backend, t));
  const [dx, dscale, doffset] = outs.map((o) => f32(backend, o));
  const k = rowsPerBlock(rows, c);
  const width = c * k;
  const meanRow = repeatChannels(mean, k);
  const s1 = new Float64Array(width);
  const s2 = new Float64Array(width);
  for (let base = 0; base < x.length; base += width) {
    for (let j = 0; j < width; j++) {
      const g = dy[base + j];
      s1[j] += g;
      s2[j] += g * (x[base + j] - meanRow[j]);
    }
  }
  const [sumDy, sumDyXc] = [foldChannels(s1, c), foldChannels(s2, c)];
  const a = new Float64Array(c);
  const b = new Float64Array(c);
  const d = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    const r = 1 / Math.sqrt(variance[j] + eps);
    dscale[j] = sumDyXc[j] * r;
    doffset[j] = sumDy[j];
    a[j] = scale[j] * r;
    b[j] = (-a[j] * r * r * sumDyXc[j]) / rows;
    d[j] = (-a[j] * sumDy[j]) / rows;
  }
  const [aRow, bRow, dRow] = [a, b, d].map((v) => repeatChannels(v, k));
  for (let base = 0; base < x.length; base += width) {
    for (let j = 0; j < width; j++) {
      dx[base + j] = aRow[j] * dy[base + j] + bRow[j] * (x[base + j] - meanRow[j]) + dRow[j];
    }
  }
  return outs;
}

/** Registration records of the two kernels for backend `wasm`. */
export const batchNormTrainingConfigs: KernelConfig[] = [
  {
    kernelName: BATCH_NORM_TRAINING,
    backendName: "wasm",
    kernelFunc: batchNormTraining as unknown as KernelConfig["kernelFunc"],
  },
  {
    kernelName: BATCH_NORM_TRAINING_GRAD,
    backendName: "wasm",
    kernelFunc: batchNormTrainingGrad as unknown as KernelConfig["kernelFunc"],
  },
];
