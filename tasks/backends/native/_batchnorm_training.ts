/**
 * The two kernels of tasks/ops/batch_norm_training.ts on `native`: training-mode batch norm
 * (statistics, output and moving averages) and its closed-form gradient, one shim call each.
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from "../../ops/batch_norm_training.ts";
import { f32, nativeKernel, type NativeKernelArgs, output } from "./_kernel_utils.ts";

function channelsOf(x: TensorInfo): number {
  const c = x.shape[x.shape.length - 1];
  if (x.dtype !== "float32" || c === undefined || c === 0) {
    // The op only asks for these kernels with float32 [..., c] inputs (the model zoo's layers).
    throw new Error(
      `${BATCH_NORM_TRAINING} on native needs a float32 tensor with channels, got ${x.dtype} [${x.shape}]`,
    );
  }
  return c;
}

function batchNormTraining(args: NativeKernelArgs): TensorInfo[] {
  const { x, scale, offset, movingMean, movingVariance } = args.inputs;
  const { varianceEpsilon, momentum } = args.attrs as { varianceEpsilon: number; momentum: number };
  const backend = args.backend;
  const channels = channelsOf(x);
  const xs = f32(backend, x);
  const y = backend.allocFloat32(xs.length);
  const per = () => backend.allocFloat32(channels);
  const stats = [per(), per(), per(), per()];
  backend.native.check(backend.native.symbols.cn_batchnorm_train(
    xs.length / channels,
    channels,
    xs,
    f32(backend, scale),
    f32(backend, offset),
    f32(backend, movingMean),
    f32(backend, movingVariance),
    varianceEpsilon,
    momentum,
    y,
    ...stats as [Float32Array, Float32Array, Float32Array, Float32Array],
  ));
  return [output(backend, x.shape, y), ...stats.map((s) => output(backend, [channels], s))];
}

function batchNormTrainingGrad(args: NativeKernelArgs): TensorInfo[] {
  const { x, dy, mean, variance, scale } = args.inputs;
  const eps = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
  const backend = args.backend;
  const channels = channelsOf(x);
  const xs = f32(backend, x);
  const dx = backend.allocFloat32(xs.length);
  const dscale = backend.allocFloat32(channels);
  const doffset = backend.allocFloat32(channels);
  backend.native.check(backend.native.symbols.cn_batchnorm_train_grad(
    xs.length / channels,
    channels,
    xs,
    f32(backend, dy),
    f32(backend, mean),
    f32(backend, variance),
    f32(backend, scale),
    eps,
    dx,
    dscale,
    doffset,
  ));
  return [
    output(backend, x.shape, dx),
    output(backend, [channels], dscale),
    output(backend, [channels], doffset),
  ];
}

/** The training-mode batch-norm kernel configs registered under `native`. */
export const batchNormTrainingKernels: KernelConfig[] = [
  nativeKernel(BATCH_NORM_TRAINING, batchNormTraining),
  nativeKernel(BATCH_NORM_TRAINING_GRAD, batchNormTrainingGrad),
];
