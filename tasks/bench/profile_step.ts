/**
 * `deno run -A tasks/bench/profile_step.ts WORKLOAD… [--backend native] [--steps 3] [--batch N]
 * [--top 20] [--by-shape]`: training images/s of shipped-config workloads (`mnist-all:densenet`, a config or a
 * model name; see bench_workloads.ts) on one backend and the kernels that dominate one step
 * (`tf.profile`; a lazy input gradient is charged to the kernel that reads it). For finding what
 * to move into a backend (`--by-shape`: one line per kernel and input shapes); `deno task bench` is the comparison with PyTorch.
 * @module
 */
import { parseArgs } from "node:util";
import { useBackend } from "../backends/mod.ts";
import { benchWorkloads, selectWorkloads } from "./bench_workloads.ts";
import { measureTrainSpeed } from "./measure_train_speed.ts";

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      backend: { type: "string", default: "native" },
      steps: { type: "string", default: "3" },
      batch: { type: "string" },
      top: { type: "string", default: "20" },
      "by-shape": { type: "boolean", default: false },
    },
  });
  const choice = await useBackend(values.backend);
  console.log(`${choice.name}: ${choice.detail}`);
  for (const w of selectWorkloads(benchWorkloads(), positionals)) {
    const batchSize = values.batch ? Number(values.batch) : w.batchSize;
    const r = await measureTrainSpeed(w.model, {
      batchSize,
      inputShape: w.inputShape,
      classes: w.classes,
      train: w.train,
      warmupSteps: 1,
      steps: Number(values.steps),
      profile: true,
      profileByShape: values["by-shape"],
    });
    console.log(
      `${w.id} [${w.inputShape}] batch ${batchSize}: ${r.imagesPerSec.toFixed(1)} images/s ` +
        `(${(1000 * r.seconds / r.steps).toFixed(0)} ms/step, ${r.params} params)`,
    );
    const kernels = r.kernels ?? [];
    const total = kernels.reduce((s, k) => s + k[1], 0);
    console.log(
      `  kernels ${total.toFixed(0)} ms in ${kernels.reduce((s, k) => s + k[2], 0)} calls`,
    );
    for (const [k, ms, n] of kernels.slice(0, Number(values.top))) {
      console.log(
        `  ${k.padEnd(values["by-shape"] ? 70 : 40)} ${ms.toFixed(1).padStart(8)} ms ${
          (100 * ms / total).toFixed(1)
        }% ×${n}`,
      );
    }
  }
}
