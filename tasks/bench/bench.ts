/**
 * `deno task bench`: the project's speed against PyTorch on this machine, every figure measured
 * now, side by side (no stored reference numbers), each in its own process:
 *
 * 1. models: every distinct training step of the shipped configs (bench_workloads.ts), train and
 *    evaluate images/s, training GFLOP/s against a matmul's, and peak memory, next to a PyTorch
 *    twin with the same parameter count (tests/models/torch_parity/zoo_models.py), interleaved,
 *    best of `--rounds` (PyTorch alternates OpenMP's default spinning and PASSIVE waiting, so
 *    it gets its better policy for the machine's load);
 * 2. jobs: two LeNet trainings at once on one thread each against one after the other on all
 *    cores (what `--jobs 2` does);
 * 3. pipeline: one LeNet epoch on full MNIST end to end against tasks/bench/lenet_epoch_peer.py;
 * 4. kernels: the wasm convolution kernels' GFLOP/s; 5. engine: a cached rerun of a 50-run config.
 *
 * Options: `--models PATTERN,…` (config:run ids, config or model names; default all),
 * `--backends native,…` (default native), `--rounds 2`, `--seconds 3` (timed seconds per
 * measurement), `--budget 3600` (seconds for the whole bench; what is not reached is listed),
 * `--threads N` (default: every core), `--sections models,jobs,pipeline,kernels,engine`,
 * `--no-torch`. PyTorch comes from `/usr/bin/python3` (`apt-get install python3-torch`).
 * @module
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { benchJobs } from "./bench_jobs.ts";
import { benchModels } from "./bench_models.ts";
import { benchPipeline } from "./bench_pipeline.ts";
import { benchWorkloads, selectWorkloads, splitWorkloadPatterns } from "./bench_workloads.ts";
import { loadAverage, runChild } from "./_run_child.ts";

const HERE = new URL(".", import.meta.url).pathname;
const SECTIONS = ["models", "jobs", "pipeline", "kernels", "engine"];

function torchInstalled(): boolean {
  try {
    return new Deno.Command("/usr/bin/python3", { args: ["-c", "import torch"] }).outputSync()
      .success;
  } catch {
    return false;
  }
}

async function kernels(log: (l: string) => void, timeoutSeconds: number) {
  log("\nConvolution kernels, GFLOP/s (wasm), batch 128");
  const r = await runChild(Deno.execPath(), ["run", "-A", `${HERE}conv_kernel_speed.ts`, "wasm"], {
    timeoutSeconds,
  });
  if (r.error) log(r.error);
  for (const k of r.lines) {
    const f = (v: unknown) => (v as number).toFixed(1).padStart(7);
    log(
      `${String(k.shape).padEnd(30)} forward ${f(k.forward)}  filter-grad ${f(k.filterGrad)}  ` +
        `input-grad ${f(k.inputGrad)}`,
    );
  }
}

async function matmulPeak(backend: string): Promise<number> {
  const r = await runChild(Deno.execPath(), ["run", "-A", `${HERE}matmul_peak.ts`, backend], {
    timeoutSeconds: 120,
  });
  const g = r.lines[0]?.gflops;
  return typeof g === "number" ? g : 0;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      models: { type: "string" },
      backends: { type: "string", default: "native" },
      rounds: { type: "string", default: "2" },
      seconds: { type: "string", default: "3" },
      budget: { type: "string", default: "3600" },
      threads: { type: "string", default: String(navigator.hardwareConcurrency) },
      sections: { type: "string", default: SECTIONS.join(",") },
      "no-torch": { type: "boolean", default: false },
    },
  });
  const log = (line: string) => console.log(line);
  const sections = values.sections.split(",");
  const unknown = sections.filter((s) => !SECTIONS.includes(s));
  const numbers = ["rounds", "seconds", "budget", "threads"] as const;
  const bad = numbers.find((k) => !(Number(values[k]) > 0));
  if (unknown.length > 0 || bad !== undefined) {
    console.error(
      unknown.length > 0
        ? `Cannot run the bench: unknown section '${unknown[0]}'; choose from ${
          SECTIONS.join(", ")
        }`
        : `Cannot run the bench: --${bad} must be a positive number, got '${values[bad!]}'`,
    );
    Deno.exit(2);
  }
  const start = performance.now();
  const deadline = start + Number(values.budget) * 1000;
  const threads = Number(values.threads);
  const torch = !values["no-torch"] && torchInstalled();
  log(
    `cnnlab bench ${new Date().toISOString()}, ${navigator.hardwareConcurrency} cores, ` +
      `${threads} threads per side, load average ${loadAverage() ?? "?"}` +
      (torch ? "" : " (PyTorch not measured: --no-torch or /usr/bin/python3 without torch)"),
  );
  if (sections.includes("models")) {
    let workloads;
    try {
      const all = benchWorkloads();
      workloads = values.models
        ? selectWorkloads(all, splitWorkloadPatterns(all, values.models))
        : all;
    } catch (e) {
      console.error((e as Error).message);
      Deno.exit(2);
    }
    const backends = values.backends.split(",");
    const peak = backends.includes("native") ? await matmulPeak("native") : 0;
    log(
      `\nTraining and inference images/s (train: the train stage's step with the config's ` +
        `optimizer; eval: the evaluate stage's loop), best of ${values.rounds} interleaved ` +
        `rounds of ${values.seconds} s; GFLOP/s of training (6 × mult-adds per image)` +
        (peak > 0
          ? ` and its share of a 1024³ matmul's ${peak.toFixed(0)} GFLOP/s on native`
          : "") +
        `; peak resident MB of each process while it trained (train MB) and then while it ` +
        `ran inference at the evaluate stage's batch (eval MB, the peak reset in between)`,
    );
    await benchModels(workloads, {
      backends,
      rounds: Number(values.rounds),
      seconds: Number(values.seconds),
      threads,
      torch,
      deadline,
      peakGflops: peak,
      log,
    });
  }
  if (sections.includes("jobs")) await benchJobs({ log, deadline, cores: threads });
  if (sections.includes("pipeline")) await benchPipeline({ log, deadline, torch });
  if (sections.includes("kernels")) await kernels(log, 300);
  const cached = new URL("../../pipelines/bench/cached_rerun.ts", import.meta.url).pathname;
  if (sections.includes("engine") && existsSync(cached)) {
    log("\nEngine: cached rerun");
    const r = await runChild(Deno.execPath(), ["run", "-A", cached], {
      timeoutSeconds: 300,
      json: false,
    });
    log(r.error ?? r.stdout.trim());
    log("\nEngine: planning a 100,000-run sweep");
    const big = await runChild(
      Deno.execPath(),
      ["run", "-A", new URL("./big_sweep.ts", import.meta.url).pathname],
      { timeoutSeconds: 600, json: false },
    );
    log(big.error ?? big.stdout.trim());
  }
  log(
    `\nbench finished in ${((performance.now() - start) / 1000).toFixed(0)} s, load average ` +
      `${loadAverage() ?? "?"}`,
  );
}
