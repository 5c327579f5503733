/**
 * A faster FusedBatchNorm gradient on the `native` backend. tfjs computes it with ~12 full-size
 * element-wise ops per batch-norm layer; the `CnnlabBatchNormGrad` kernel does two passes.
 * Gradients are registered per kernel name for every backend, so the installed gradient hands
 * every case it does not cover (other backends, non per-channel statistics) to tfjs' own.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { GradConfig, KernelConfig, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { packBatchnormParams, packBatchnormTensors } from "./_abi.ts";
import { f32, nativeKernel, type NativeKernelArgs, output } from "./_kernel_utils.ts";

const kernelName = "CnnlabBatchNormGrad";

function batchNormGrad(args: NativeKernelArgs): TensorInfo[] {
  const { x, dy, mean, variance, scale } = args.inputs;
  const eps = (args.attrs as { varianceEpsilon: number }).varianceEpsilon;
  const backend = args.backend;
  const channels = x.shape[x.shape.length - 1];
  const xs = f32(backend, x);
  const dx = backend.allocFloat32(xs.length);
  const per = () => backend.allocFloat32(channels);
  const [dmean, dvar, dscale, doffset] = [per(), per(), per(), per()];
  const scaleValues = scale == null ? new Float32Array(1) : f32(backend, scale);
  backend.native.check(backend.native.symbols.cn_batchnorm_grad(
    packBatchnormParams({
      rows: xs.length / channels,
      channels,
      meanLength: channels,
      varianceLength: channels,
      offsetLength: 0,
      scaleLength: scale == null ? 0 : scaleValues.length,
      epsilon: eps,
      momentum: 0,
    }),
    packBatchnormTensors({
      x: xs,
      dy: f32(backend, dy),
      mean: f32(backend, mean),
      variance: f32(backend, variance),
      scale: scaleValues,
      dx,
      dmean,
      dvariance: dvar,
      dscale,
      doffset,
    }),
  ));
  return [
    output(backend, x.shape, dx),
    ...[dmean, dvar, dscale, doffset].map((v) => output(backend, mean.shape, v)),
  ];
}

/** The batch-norm gradient kernel config registered under `native`. */
export const batchNormGradKernels: KernelConfig[] = [nativeKernel(kernelName, batchNormGrad)];

// Per-channel float32 statistics over the last axis on `native`: what tfjs-layers' BatchNormalization
// produces; anything else goes to tfjs' own gradient.
function covered(
  tensors: (tf.Tensor | null)[],
  x: tf.Tensor,
  stats: (tf.Tensor | null)[],
): boolean {
  const c = x.shape[x.shape.length - 1];
  return tf.getBackend() === "native" && x.rank >= 1 && c > 0 &&
    tensors.every((t) => t == null || t.dtype === "float32") &&
    stats.every((t) => t == null || (t.rank === 1 && t.shape[0] === c));
}

let installed = false;

/**
 * Replaces tfjs' FusedBatchNorm gradient by one that runs {@linkcode batchNormGradKernels} on the
 * `native` backend and tfjs' original everywhere else. Idempotent.
 */
export function installNativeBatchNormGradient(): void {
  if (installed) return;
  const original = tf.getGradient("FusedBatchNorm") as GradConfig | undefined;
  if (original === undefined) return; // tfjs without gradients: nothing to speed up
  installed = true;
  tf.registerGradient({
    kernelName: "FusedBatchNorm",
    inputsToSave: original.inputsToSave,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
      const [x, mean, variance, scale] = saved as (tf.Tensor | null)[];
      const g = dy as tf.Tensor;
      if (x == null || mean == null || variance == null) return original.gradFunc(dy, saved, attrs);
      if (!covered([g, x, mean, variance, scale], x, [mean, variance, scale])) {
        return original.gradFunc(dy, saved, attrs);
      }
      const inputs: Record<string, tf.Tensor> = { x, dy: g, mean, variance };
      if (scale != null) inputs.scale = scale;
      const eps = (attrs as { varianceEpsilon?: number }).varianceEpsilon ?? 0.001;
      const [dx, dmean, dvar, dscale, doffset] = tf.engine().runKernel(kernelName, inputs, {
        varianceEpsilon: eps,
      }) as tf.Tensor[];
      return {
        x: () => dx,
        mean: () => dmean,
        variance: () => dvar,
        scale: () => dscale,
        offset: () => doffset,
      };
    },
  });
}
