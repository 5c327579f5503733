/**
 * `deno run -A --unstable-webgpu tasks/bench/train_speed.ts MODEL BACKEND [STEPS] [WARMUP] [SECONDS]`: training
 * images/s of one model on one backend, printed as one JSON line (read by bench.ts). One
 * process per measurement, because a tfjs process keeps its first wasm thread count and
 * backends' caches would otherwise mix.
 * @module
 */
import { useBackend } from "../backends/mod.ts";
import { measureTrainSpeed } from "./measure_train_speed.ts";

if (import.meta.main) {
  const [model, backend, steps, warmup, seconds] = Deno.args;
  if (model === undefined || backend === undefined) {
    console.error(
      "Usage: train_speed.ts MODEL BACKEND [STEPS] [WARMUP] [SECONDS]   e.g. train_speed.ts lenet wasm 5 2 10",
    );
    Deno.exit(2);
  }
  try {
    const choice = await useBackend(backend);
    const speed = await measureTrainSpeed(model, {
      steps: steps === undefined ? 5 : Number(steps),
      warmupSteps: warmup === undefined ? 2 : Number(warmup),
      maxSeconds: seconds === undefined ? 20 : Number(seconds),
    });
    console.log(JSON.stringify({ ...speed, backend: choice.name, detail: choice.detail }));
  } catch (e) {
    console.log(
      JSON.stringify({ model, backend, error: e instanceof Error ? e.message : String(e) }),
    );
  }
}
