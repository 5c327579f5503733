/**
 * Test helpers: run the same computation on the `native` and `cpu` backends from identical seeded
 * inputs and measure how far apart the results are.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-cpu";
import { registerNativeBackend } from "../../../tasks/backends/native/mod.ts";
import { fallbackCounts } from "../../../tasks/backends/native/_kernel_utils.ts";

/** Registers `native` once; throws with the loader's reason so a missing library fails loudly. */
export async function ensureNative(): Promise<void> {
  const r = await registerNativeBackend();
  if (!r.ok) throw new Error(r.reason);
}

/** Deterministic uniform floats in [-1, 1) (mulberry32), so every run sees the same inputs. */
export function randomArray(size: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** A seeded random input: shape plus the seed of its values. */
export interface InputSpec {
  shape: number[];
  seed: number;
}

/** Runs `fn` on `backend` with tensors built from `inputs`; returns every output's values. */
export async function runOn(
  backend: string,
  inputs: InputSpec[],
  fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((s) => tf.tensor(randomArray(sizeOf(s.shape), s.seed), s.shape));
    const out = fn(...xs);
    return (Array.isArray(out) ? out : [out]).map((t) => ({
      shape: t.shape,
      values: Float32Array.from(t.dataSync() as Float32Array),
    }));
  });
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** max |a - b| / max |b| (0 when both are all zeros). */
export function relativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} differs from ${b.length}`);
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
  }
  return scale === 0 ? diff : diff / scale;
}

/**
 * Runs `fn` on native and cpu and returns the worst relative error over the outputs, after
 * checking that shapes agree and that no native kernel handed its work to the cpu one (except
 * those in `allowedFallbacks`).
 */
export async function compareBackends(
  inputs: InputSpec[],
  fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  allowedFallbacks: string[] = [],
): Promise<number> {
  await ensureNative();
  fallbackCounts.clear();
  const native = await runOn("native", inputs, fn);
  const fellBack = [...fallbackCounts.keys()].filter((k) => !allowedFallbacks.includes(k));
  if (fellBack.length > 0) throw new Error(`native fell back to cpu for ${fellBack.join(", ")}`);
  const cpu = await runOn("cpu", inputs, fn);
  let worst = 0;
  native.forEach((n, i) => {
    const c = cpu[i];
    if (n.shape.join(",") !== c.shape.join(",")) {
      throw new Error(`output ${i}: native shape [${n.shape}] differs from cpu [${c.shape}]`);
    }
    worst = Math.max(worst, relativeError(n.values, c.values));
  });
  return worst;
}
