/**
 * `deno task bench`: every benchmark of the project, each in its own process (orchestrated with
 * zx): training images/s per model and backend against the PyTorch reference, the conv kernels'
 * GFLOP/s, and the engine's cached rerun (pipelines/bench/cached_rerun.ts) when it exists.
 *
 * Options: `--models lenet,vgg_small,resnet`, `--backends wasm,native,webgpu,tensorflow,cpu`,
 * `--steps 30` (at most; a measurement stops after ~20 s). Timings on a shared machine are noisy: compare with the PyTorch peer run in the
 * same session (../shared/peers/README.md).
 * @module
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { $ } from "zx";

/** PyTorch 1.13 CPU, 2 threads, on the 2-core reference machine (../shared/peers/README.md). */
export const TORCH_IMAGES_PER_SEC: Record<string, number> = {
  lenet: 7846,
  vgg_small: 197,
  resnet: 485,
};

/** The cpu backend is ~500× slower than PyTorch: only LeNet is worth timing on it. */
const CPU_MODELS = new Set(["lenet"]);

interface SpeedLine {
  model: string;
  backend: string;
  imagesPerSec?: number;
  steps?: number;
  detail?: string;
  error?: string;
}

/** Longest one measurement may take (a software WebGPU adapter can be very slow). */
const TIMEOUT = "150s";

async function jsonLines(args: string[]): Promise<Record<string, unknown>[]> {
  const out = await $({
    nothrow: true,
    quiet: true,
    timeout: TIMEOUT,
  })`deno run -A --unstable-webgpu ${args}`;
  if (out.signal !== null) return [{ error: `no result within ${TIMEOUT}` }];
  const lines = out.stdout.split("\n").filter((l) => l.startsWith("{"));
  if (lines.length === 0) {
    return [{ error: `exit ${out.exitCode}: ${out.stderr.trim().split("\n").slice(-1)[0] ?? ""}` }];
  }
  return lines.map((l) => JSON.parse(l));
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      models: { type: "string", default: "lenet,vgg_small,resnet" },
      backends: { type: "string", default: "wasm,native,webgpu,tensorflow,cpu" },
      steps: { type: "string", default: "30" },
    },
  });
  const here = new URL(".", import.meta.url).pathname;
  console.log("Training images/s, 28×28×1, batch 128, Adam (noisy shared machine: compare ratios)");
  console.log(
    `${pad("model", 10)} ${pad("backend", 8)} ${pad("images/s", 9)} ${
      pad("PyTorch", 8)
    } ratio  detail`,
  );
  for (const model of values.models.split(",")) {
    for (const backend of values.backends.split(",")) {
      if (backend === "cpu" && !CPU_MODELS.has(model)) continue;
      const [r] = await jsonLines([
        `${here}train_speed.ts`,
        model,
        backend,
        values.steps,
      ]) as unknown as SpeedLine[];
      const torch = TORCH_IMAGES_PER_SEC[model];
      if (r.imagesPerSec === undefined) {
        console.log(
          `${pad(model, 10)} ${pad(backend, 8)} ${pad("-", 9)} ${
            pad(String(torch ?? "-"), 8)
          } -      ${r.error}`,
        );
        continue;
      }
      const ratio = torch ? (r.imagesPerSec / torch).toFixed(3) : "-";
      console.log(
        `${pad(model, 10)} ${pad(backend, 8)} ${pad(r.imagesPerSec.toFixed(1), 9)} ${
          pad(String(torch ?? "-"), 8)
        } ${pad(ratio, 6)} ${r.detail} (${r.steps} steps)`,
      );
    }
  }
  console.log("\nConvolution kernels, GFLOP/s (wasm), batch 128");
  for (const r of await jsonLines([`${here}conv_kernel_speed.ts`, "wasm"])) {
    if (r.error) {
      console.log(r.error);
      continue;
    }
    const f = (v: unknown) => pad((v as number).toFixed(1), 8);
    console.log(
      `${pad(String(r.shape), 30)} forward ${f(r.forward)} filter-grad ${
        f(r.filterGrad)
      } input-grad ${f(r.inputGrad)}`,
    );
  }
  const cached = new URL("../../pipelines/bench/cached_rerun.ts", import.meta.url).pathname;
  if (existsSync(cached)) {
    console.log("\nEngine: cached rerun");
    const out = await $({ nothrow: true, quiet: true })`deno run -A ${cached}`;
    console.log((out.stdout + out.stderr).trim());
  }
}
