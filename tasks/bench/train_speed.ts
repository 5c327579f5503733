/**
 * `deno run -A --unstable-webgpu tasks/bench/train_speed.ts BACKEND '<spec JSON>'`: training and
 * inference images/s of one workload on one backend, printed as one JSON line (read by bench.ts),
 * with the process's peak resident memory. One process per measurement: a tfjs process keeps its
 * first wasm thread count, backends' caches would otherwise mix, and the peak would be shared.
 *
 * The spec: a {@linkcode BenchWorkload} plus `warmup`, `steps`, `maxSeconds` and `evalBatches`.
 * @module
 */
import { useBackend } from "../backends/mod.ts";
import type { BenchWorkload } from "./bench_workloads.ts";
import { measureTrainSpeed } from "./measure_train_speed.ts";
import { peakRssBytes } from "./peak_rss.ts";

/** What bench.ts hands a measurement process. */
export interface SpeedSpec extends BenchWorkload {
  warmup: number;
  steps: number;
  maxSeconds: number;
  evalBatches: number;
}

if (import.meta.main) {
  const [backend, json] = Deno.args;
  if (backend === undefined || json === undefined) {
    console.error("Usage: train_speed.ts BACKEND '<spec JSON>' (see bench.ts)");
    Deno.exit(2);
  }
  try {
    const spec = JSON.parse(json) as SpeedSpec;
    const choice = await useBackend(backend);
    const speed = await measureTrainSpeed(spec.model, {
      batchSize: spec.batchSize,
      inputShape: spec.inputShape,
      classes: spec.classes,
      train: spec.train,
      warmupSteps: spec.warmup,
      steps: spec.steps,
      maxSeconds: spec.maxSeconds,
      evalBatchSize: spec.evalBatchSize,
      evalBatches: spec.evalBatches,
    });
    console.log(JSON.stringify({
      ...speed,
      backend: choice.name,
      detail: choice.detail,
      // The whole process's peak: training's, or inference's after the reset between them.
      peakRssBytes: Math.max(speed.trainPeakRssBytes ?? 0, peakRssBytes() ?? 0) || null,
    }));
  } catch (e) {
    console.log(JSON.stringify({ backend, error: e instanceof Error ? e.message : String(e) }));
  }
}
