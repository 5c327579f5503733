/** BatchMatMul and _FusedMatMul through oneDNN's sgemm, bias and activation fused in the shim. */
import { broadcast_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { packMatmulParams } from "./_abi.ts";
import { activationCodes } from "./_conv_params.ts";
import {
  allFloat32,
  cpuFallback,
  f32,
  nativeKernel,
  type NativeKernelArgs,
  output,
  sizeOf,
} from "./_kernel_utils.ts";

type Attrs = {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
  leakyreluAlpha?: number;
};

const noBias = new Float32Array(1);

function matMul(args: NativeKernelArgs, fused: boolean, name: string) {
  const { a, b, bias, preluActivationWeights } = args.inputs;
  const attrs = args.attrs as unknown as Attrs;
  const activation = attrs.activation ?? "linear";
  const act = activation === "prelu" ? 0 : activationCodes[activation];
  if (act === undefined || !allFloat32(a, b, bias) || a.shape.length < 2 || b.shape.length < 2) {
    return cpuFallback(name, args);
  }
  const backend = args.backend;
  const ra = a.shape.length, rb = b.shape.length;
  const m = attrs.transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = attrs.transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = attrs.transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const batchA = sizeOf(outerA), batchB = sizeOf(outerB);
  // Only "same batch" or "one side has a single matrix" map onto the shim's broadcast.
  const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  if (!sameOuter && batchA !== 1 && batchB !== 1) return cpuFallback(name, args);
  const outer = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  let biasValues: Float32Array = noBias;
  if (fused && bias != null) {
    biasValues = f32(backend, bias);
    if (biasValues.length !== 1 && biasValues.length !== n) return cpuFallback(name, args);
  }
  const batch = Math.max(batchA, batchB);
  const c = backend.allocFloat32(batch * m * n);
  const p = packMatmulParams({
    batchA,
    batchB,
    m,
    n,
    k,
    transposeA: attrs.transposeA ? 1 : 0,
    transposeB: attrs.transposeB ? 1 : 0,
    biasLength: biasValues === noBias ? 0 : biasValues.length,
    activation: act,
    alpha: attrs.leakyreluAlpha ?? 0.2,
  });
  backend.native.check(
    backend.native.symbols.cn_matmul(p, f32(backend, a), f32(backend, b), biasValues, c),
  );
  const out = output(backend, [...outer, m, n], c);
  if (activation !== "prelu") return out;
  const result = cpuFallback("Prelu", {
    inputs: { x: out, alpha: preluActivationWeights },
    backend,
  }) as TensorInfo;
  backend.disposeIntermediateTensorInfo(out);
  return result;
}

/** The matrix product kernel configs registered under `native`. */
export const matMulKernels: KernelConfig[] = [
  nativeKernel("BatchMatMul", (args) => matMul(args, false, "BatchMatMul")),
  nativeKernel("_FusedMatMul", (args) => matMul(args, true, "_FusedMatMul")),
];
