/**
 * A short probe of a model's speed on this machine when no earlier run measured it: a few
 * training steps (after one untimed) and a few inference batches on random images of the run's
 * input shape, at its batch size, on its backend. Results are remembered in
 * `<cache>/state/speed-probes.json` (keyed by model, input, batch size, optimizer and backend).
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { canonicalJson } from "../../pipelines/hashing/canonical_json.ts";
import { sha256 } from "../../pipelines/hashing/sha256.ts";
import type { Json, StageNode } from "../../pipelines/types.ts";
import { writeFileAtomic } from "../artifacts/write_file_atomic.ts";
import { backendFromModule } from "../backends/backend_module.ts";
import { buildFromFamily, familyInputShape } from "../models/build_from_family.ts";
import { familyFromModule } from "../models/model_family.ts";
import { resolvePreprocess } from "../stages/_resolve_preprocess.ts";
import type { TrainStageParams } from "../stages/stage_params.ts";
import { trainStep } from "../train/_train_step.ts";
import { createOptimizer } from "../train/create_optimizer.ts";
import type { RunSize } from "./run_size.ts";

/** Measured speeds of one model configuration. */
export interface ProbedSpeed {
  /** Training images/s (forward, backward, optimizer step). */
  train: number;
  /** Inference images/s. */
  infer: number;
  /** Seconds to start the backend and build the model: part of a stage's fixed cost. */
  setup: number;
}

/** Seconds of probing allowed per process (status or run), so a config of many models stays quick. */
function budgetSeconds(): number {
  const value = Number(Deno.env.get("CNNLAB_PROBE_SECONDS") ?? "60");
  return Number.isFinite(value) && value >= 0 ? value : 60;
}

let spent = 0;

const memoFile = (cacheDir: string) => join(cacheDir, "state", "speed-probes.json");

async function readMemo(cacheDir: string): Promise<Record<string, ProbedSpeed>> {
  try {
    return JSON.parse(await Deno.readTextFile(memoFile(cacheDir)));
  } catch {
    return {};
  }
}

/** Times `step` once untimed, then until `seconds` pass (at least once, at most `max` times). */
async function timeSteps(step: () => Promise<void>, seconds: number, max: number): Promise<number> {
  await step();
  const start = performance.now();
  let steps = 0;
  while (steps < max && (steps === 0 || (performance.now() - start) / 1000 < seconds)) {
    await step();
    steps++;
  }
  return ((performance.now() - start) / 1000) / steps;
}

/**
 * Probes (or recalls) a train node's speeds.
 * @returns undefined when the probe budget is spent.
 * @throws Error when the model cannot be built or the backend started (reported as no estimate).
 */
export async function probeSpeed(
  node: StageNode<TrainStageParams>,
  size: RunSize,
  cacheDir: string,
): Promise<ProbedSpeed | undefined> {
  const params = node.params;
  const family = familyFromModule(await import(node.uses!.family.href), params.model.name);
  const { inputShape } = resolvePreprocess(
    familyInputShape(family, params.model, size.shape),
    params.preprocess,
    size.shape,
  );
  const batch = params.train.batch_size;
  const key = sha256(canonicalJson({
    model: params.model,
    input: inputShape,
    classes: size.classes,
    batch,
    optimizer: params.train.optimizer,
    backend: (node.runtime as { backend?: Json } | undefined)?.backend ?? null,
  } as Json));
  const memo = await readMemo(cacheDir);
  if (memo[key]) return memo[key];
  if (spent >= budgetSeconds()) return undefined;
  const begun = performance.now();
  try {
    await backendFromModule(await import(node.uses!.backend.href)).startBackend();
    const model = buildFromFamily(family, params.model, {
      inputShape,
      classes: size.classes,
      seed: 0,
    });
    const setup = (performance.now() - begun) / 1000;
    const x = tf.randomNormal([batch, ...inputShape], 0, 1, "float32", 0);
    const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % size.classes), "int32");
    const optimizer = createOptimizer(params.train);
    try {
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const options = {
        model,
        vars,
        optimizer,
        lr: params.train.lr,
        fromLogits: true,
        labelSmoothing: 0,
        clipNorm: null,
      };
      const trainSeconds = await timeSteps(
        async () => {
          await trainStep({ x, y }, options);
        },
        1.5,
        3,
      );
      const inferSeconds = await timeSteps(
        async () => {
          const out = tf.tidy(() => model.apply(x, { training: false }) as tf.Tensor);
          await out.data();
          out.dispose();
        },
        0.5,
        3,
      );
      const speed = { train: batch / trainSeconds, infer: batch / inferSeconds, setup };
      const fresh = await readMemo(cacheDir);
      fresh[key] = speed;
      await Deno.mkdir(join(cacheDir, "state"), { recursive: true });
      await writeFileAtomic(memoFile(cacheDir), JSON.stringify(fresh, null, 2) + "\n");
      return speed;
    } finally {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    }
  } finally {
    spent += (performance.now() - begun) / 1000;
  }
}
