/**
 * Sigmoid's and Tanh's gradients in one pass on the `native` backend. tfjs computes
 * dy · (y · (1 − y)) and (1 − y²) · dy with three full-size kernels each (Sub, Multiply,
 * Multiply; Square, Sub, Multiply); the `CnnlabSigmoidGrad` and `CnnlabTanhGrad` kernels read dy
 * and y once and round in the same order, so the results are bit-identical to tfjs' ops.
 * Gradients are registered per kernel name for every backend, so the installed gradients hand
 * every case they do not cover (other backends, other dtypes, mismatched shapes) to tfjs' own.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { GradConfig, KernelConfig, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { BinaryOp } from "./_abi.ts";
import { stridedParams } from "./_elementwise_kernels.ts";
import {
  allFloat32,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
  sizeOf,
} from "./_kernel_utils.ts";

// The cn_binary op codes of the fused gradients, and the tfjs kernel each one differentiates.
const fused = [
  { forward: "Sigmoid", kernelName: "CnnlabSigmoidGrad", op: BinaryOp.SIGMOID_GRAD },
  { forward: "Tanh", kernelName: "CnnlabTanhGrad", op: BinaryOp.TANH_GRAD },
];

function activationGrad(op: number, kernelName: string) {
  return nativeKernel(kernelName, (args: NativeKernelArgs): TensorInfo => {
    const { dy, y } = args.inputs;
    const backend = args.backend;
    const out = backend.allocFloat32(sizeOf(y.shape));
    if (out.length > 0) {
      // Same-shape operands: one contiguous row, which the shim splits among threads.
      backend.native.check(
        backend.native.symbols.cn_binary(
          op,
          stridedParams([out.length], [1], [1]),
          f32(backend, dy),
          f32(backend, y),
          out,
        ),
      );
    }
    return output(backend, y.shape, out);
  });
}

/** The fused activation-gradient kernel configs registered under `native`. */
export const sigmoidTanhGradKernels: KernelConfig[] = fused.map((f) =>
  activationGrad(f.op, f.kernelName)
);

// Float32 dy and y of one shape on `native`: what a Sigmoid or Tanh layer's backward pass sees.
function covered(dy: tf.Tensor, y: tf.Tensor): boolean {
  return tf.getBackend() === "native" && allFloat32(dy, y) &&
    dy.shape.length === y.shape.length && dy.shape.every((d, i) => d === y.shape[i]);
}

let installed = false;

/**
 * Replaces tfjs' Sigmoid and Tanh gradients by ones that run {@linkcode sigmoidTanhGradKernels}
 * on the `native` backend and tfjs' originals everywhere else. Idempotent.
 */
export function installNativeSigmoidTanhGradients(): void {
  if (installed) return;
  installed = true;
  for (const { forward, kernelName } of fused) {
    const original = tf.getGradient(forward) as GradConfig | undefined;
    if (original === undefined) continue; // tfjs without gradients: nothing to speed up
    tf.registerGradient({
      kernelName: forward,
      inputsToSave: original.inputsToSave,
      outputsToSave: original.outputsToSave,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
        const g = dy as tf.Tensor;
        const [y] = saved;
        if (y == null || !covered(g, y)) return original.gradFunc(dy, saved, attrs);
        return { x: () => tf.engine().runKernel(kernelName, { dy: g, y }) as tf.Tensor };
      },
    });
  }
}
