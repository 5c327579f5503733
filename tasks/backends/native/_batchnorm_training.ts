/**
 * The two kernels of tasks/ops/batch_norm_training.ts on `native`: training-mode batch norm
 * (statistics, output and moving averages) and its closed-form gradient, one shim call each.
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { BATCH_NORM_TRAINING, BATCH_NORM_TRAINING_GRAD } from "../../ops/batch_norm_training.ts";
import { packBatchnormParams, packBatchnormTensors } from "./_abi.ts";
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
    packBatchnormParams({
      rows: xs.length / channels,
      channels,
      meanLength: channels,
      varianceLength: channels,
      offsetLength: channels,
      scaleLength: channels,
      epsilon: varianceEpsilon,
      momentum,
    }),
    packBatchnormTensors({
      x: xs,
      scale: f32(backend, scale),
      offset: f32(backend, offset),
      movingMean: f32(backend, movingMean),
      movingVariance: f32(backend, movingVariance),
      y,
      batchMean: stats[0],
      batchVariance: stats[1],
      newMovingMean: stats[2],
      newMovingVariance: stats[3],
    }),
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
    packBatchnormParams({
      rows: xs.length / channels,
      channels,
      meanLength: channels,
      varianceLength: channels,
      offsetLength: 0,
      scaleLength: channels,
      epsilon: eps,
      momentum: 0,
    }),
    packBatchnormTensors({
      x: xs,
      dy: f32(backend, dy),
      mean: f32(backend, mean),
      variance: f32(backend, variance),
      scale: f32(backend, scale),
      dx,
      dscale,
      doffset,
    }),
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
