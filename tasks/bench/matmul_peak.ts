/**
 * `deno run -A tasks/bench/matmul_peak.ts [BACKEND]`: GFLOP/s of a 1024×1024×1024 float32 matrix
 * product on a backend (best of 5), printed as one JSON line: the attainable peak the bench
 * compares each model's training GFLOP/s with (the machine's nominal peak is rarely reached).
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { useBackend } from "../backends/mod.ts";

/** Best GFLOP/s of an n×n×n matrix product on the active backend over `repeats` calls. */
export function measureMatMulPeak(n = 1024, repeats = 5): number {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  let best = Infinity;
  for (let i = 0; i <= repeats; i++) {
    const t = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    const ms = performance.now() - t;
    c.dispose();
    if (i > 0) best = Math.min(best, ms); // the first call sets up the kernel
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / best / 1e6;
}

if (import.meta.main) {
  const choice = await useBackend(Deno.args[0] ?? "native");
  console.log(JSON.stringify({ backend: choice.name, gflops: measureMatMulPeak() }));
}
