/**
 * ClipByValue's gradient in one pass on the `native` backend. tfjs computes it as
 * where(x >= lo && x <= hi, dy, zeros) with five full-size kernels (GreaterEqual, LessEqual,
 * LogicalAnd, ZerosLike, Select); MobileNet's ReLU6 layers (Relu + ClipByValue in tfjs-layers)
 * spent more than half of a training step there. `CnnlabClipGrad` reads x and dy once.
 * Gradients are registered per kernel name for every backend, so the installed gradient hands
 * every case it does not cover (other backends, other dtypes) to tfjs' own.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { GradConfig, KernelConfig, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { allFloat32, f32, nativeKernel, type NativeKernelArgs, output } from "./_kernel_utils.ts";

const kernelName = "CnnlabClipGrad";

function clipGrad(args: NativeKernelArgs): TensorInfo {
  const { x, dy } = args.inputs;
  const { clipValueMin, clipValueMax } = args.attrs as {
    clipValueMin: number;
    clipValueMax: number;
  };
  const backend = args.backend;
  const xs = f32(backend, x);
  const dx = backend.allocFloat32(xs.length);
  if (xs.length > 0) {
    backend.native.check(
      backend.native.symbols.cn_clip_grad(
        xs.length,
        xs,
        f32(backend, dy),
        dx,
        clipValueMin,
        clipValueMax,
      ),
    );
  }
  return output(backend, x.shape, dx);
}

/** The ClipByValue gradient kernel config registered under `native`. */
export const clipGradKernels: KernelConfig[] = [nativeKernel(kernelName, clipGrad)];

let installed = false;

/**
 * Replaces tfjs' ClipByValue gradient by one that runs {@linkcode clipGradKernels} on the `native`
 * backend (float32 x and dy of one shape) and tfjs' original everywhere else. Idempotent.
 */
export function installNativeClipGradient(): void {
  if (installed) return;
  const original = tf.getGradient("ClipByValue") as GradConfig | undefined;
  if (original === undefined) return; // tfjs without gradients: nothing to speed up
  installed = true;
  tf.registerGradient({
    kernelName: "ClipByValue",
    inputsToSave: original.inputsToSave,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
      const g = dy as tf.Tensor;
      const [x] = saved;
      const covered = tf.getBackend() === "native" && x != null && allFloat32(g, x) &&
        g.shape.length === x.shape.length && g.shape.every((d, i) => d === x.shape[i]);
      if (!covered) return original.gradFunc(dy, saved, attrs);
      const { clipValueMin, clipValueMax } = attrs as unknown as {
        clipValueMin: number;
        clipValueMax: number;
      };
      return {
        x: () =>
          tf.engine().runKernel(kernelName, { x, dy: g }, {
            clipValueMin,
            clipValueMax,
          }) as tf.Tensor,
      };
    },
  });
}
