/**
 * `deno task bench`: every benchmark of the project, each in its own process (orchestrated with
 * zx): training images/s per model and backend against the PyTorch reference, the conv kernels'
 * GFLOP/s, and the engine's cached rerun (pipelines/bench/cached_rerun.ts) when it exists.
 *
 * Options: `--models lenet,vgg_small,resnet`, `--backends wasm,native,webgpu,tensorflow,cpu`,
 * `--steps 200 --warmup 5 --seconds 10` (timed steps at most, untimed steps first, and the time
 * after which a measurement stops). Timings on a shared machine are noisy, so where PyTorch is
 * installed (`apt-get install python3-torch`) the bench also runs ../shared/peers/torch_peer.py
 * on each model in the same session and prints that ratio too.
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

/** torch_peer.py's model names and batches for a few seconds of timing each. */
const TORCH_PEER_MODELS: Record<string, [string, number]> = {
  lenet: ["lenet", 200],
  vgg_small: ["vgg", 20],
  resnet: ["resnet18", 40],
};

/** Peer runs per model; the best counts (PyTorch's 2-thread runs here are sometimes 3× slower). */
const TORCH_PEER_RUNS = 3;

const TORCH_PEER = new URL("../../../shared/peers/torch_peer.py", import.meta.url).pathname;

/**
 * PyTorch's best images/s for `model` over {@link TORCH_PEER_RUNS} runs on this machine now, or
 * null where PyTorch or the peer is missing.
 */
async function torchNow(model: string): Promise<number | null> {
  let best: number | null = null;
  for (let i = 0; i < TORCH_PEER_RUNS; i++) {
    const r = await torchRun(model);
    if (r === null) return best;
    best = Math.max(best ?? 0, r);
  }
  return best;
}

async function torchRun(model: string): Promise<number | null> {
  const peer = TORCH_PEER_MODELS[model];
  if (peer === undefined || !existsSync(TORCH_PEER)) return null;
  const out = await $({
    nothrow: true,
    quiet: true,
    timeout: TIMEOUT,
  })`/usr/bin/python3 ${TORCH_PEER} ${peer[0]} 2 ${peer[1]}`;
  const m = /images\/s=([0-9.]+)/.exec(out.stdout);
  return m ? Number(m[1]) : null;
}

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
      steps: { type: "string", default: "200" },
      warmup: { type: "string", default: "5" },
      seconds: { type: "string", default: "10" },
    },
  });
  const here = new URL(".", import.meta.url).pathname;
  console.log("Training images/s, 28×28×1, batch 128, Adam (noisy shared machine: compare ratios)");
  console.log(
    `${pad("model", 10)} ${pad("backend", 8)} ${pad("images/s", 9)} ${pad("PyTorch", 8)} ratio  ${
      pad("PyTorch now", 11)
    } ratio  detail`,
  );
  for (const model of values.models.split(",")) {
    const results: SpeedLine[] = [];
    for (const backend of values.backends.split(",")) {
      if (backend === "cpu" && !CPU_MODELS.has(model)) continue;
      const [r] = await jsonLines([
        `${here}train_speed.ts`,
        model,
        backend,
        values.steps,
        values.warmup,
        values.seconds,
      ]) as unknown as SpeedLine[];
      results.push({ ...r, model, backend });
    }
    // After the project's own runs, so PyTorch's threads never share the cores with them.
    const now = await torchNow(model);
    const nowText = pad(now === null ? "-" : now.toFixed(1), 11);
    const torch = TORCH_IMAGES_PER_SEC[model];
    for (const r of results) {
      const head = `${pad(model, 10)} ${pad(r.backend, 8)}`;
      if (r.imagesPerSec === undefined) {
        console.log(
          `${head} ${pad("-", 9)} ${
            pad(String(torch ?? "-"), 8)
          } -      ${nowText} -      ${r.error}`,
        );
        continue;
      }
      const ratio = torch ? (r.imagesPerSec / torch).toFixed(3) : "-";
      const ratioNow = now ? (r.imagesPerSec / now).toFixed(3) : "-";
      console.log(
        `${head} ${pad(r.imagesPerSec.toFixed(1), 9)} ${pad(String(torch ?? "-"), 8)} ${
          pad(ratio, 6)
        } ${nowText} ${pad(ratioNow, 6)} ${r.detail} (${r.steps} steps)`,
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
