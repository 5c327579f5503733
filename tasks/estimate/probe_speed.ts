/**
 * A short probe of a model's speed on this machine when no earlier run measured it: a few
 * training steps (after untimed warm-up ones) and a few inference batches on random images of the run's
 * input shape, at its batch size, on its backend. Results are remembered in
 * `<cache>/state/speed-probes.json` (keyed by model, input, batch size, optimizer and backend;
 * dropout rates only as zero or not).
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
import { applyInference } from "../train/apply_freeing.ts";
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

async function readMemoFile(cacheDir: string): Promise<Record<string, ProbedSpeed>> {
  try {
    return JSON.parse(await Deno.readTextFile(memoFile(cacheDir)));
  } catch {
    return {};
  }
}

// The memo file is read once per process and cache: a sweep asks for every stage it estimates.
const memos = new Map<string, Promise<Record<string, ProbedSpeed>>>();
function readMemo(cacheDir: string): Promise<Record<string, ProbedSpeed>> {
  let memo = memos.get(cacheDir);
  if (!memo) memos.set(cacheDir, memo = readMemoFile(cacheDir));
  return memo;
}

/**
 * The model options that decide its speed: a dropout rate only matters as zero or not (a mask
 * is drawn and applied whatever the rate), so a sweep over rates is probed once per model.
 */
function speedRelevant(model: Json): Json {
  if (Array.isArray(model)) return model.map(speedRelevant);
  if (model === null || typeof model !== "object") return model;
  return Object.fromEntries(
    Object.entries(model).map(([k, v]) => [
      k,
      /dropout$/.test(k) && typeof v === "number" ? v > 0 : speedRelevant(v),
    ]),
  );
}

/**
 * Seconds per step: untimed warm-up steps first (the first steps of a model build kernels, fill
 * memory pools and touch fresh pages, and are several times slower than the steady state a
 * whole run averages), then timed steps until `seconds` pass (at least one, at most `max`).
 * The median keeps one slow step on a busy machine from skewing the estimate.
 */
async function timeSteps(step: () => Promise<void>, seconds: number, max: number): Promise<number> {
  const warm = performance.now();
  await step();
  // A second warm-up only where steps are cheap next to the budget (a big model's step is
  // seconds long, and the probe budget is shared by every model of a config).
  if ((performance.now() - warm) / 1000 < seconds / 4) await step();
  const times: number[] = [];
  const start = performance.now();
  while (
    times.length < max && (times.length === 0 || (performance.now() - start) / 1000 < seconds)
  ) {
    const begun = performance.now();
    await step();
    times.push((performance.now() - begun) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// Canonical text of a param block, once per block: a sweep's runs share their frozen blocks.
const blockTexts = new WeakMap<object, string>();
function blockText(block: unknown): string {
  if (block === null || typeof block !== "object") return JSON.stringify(block ?? null);
  let text = blockTexts.get(block);
  if (text === undefined) blockTexts.set(block, text = canonicalJson(block as Json));
  return text;
}

// A model's text → the text of what changes its speed: a sweep over dropout rates has one
// model block per run but few distinct texts.
const speedTexts = new Map<string, string>();
function speedText(model: unknown): string {
  const full = blockText(model);
  let text = speedTexts.get(full);
  if (text === undefined) speedTexts.set(full, text = canonicalJson(speedRelevant(model as Json)));
  return text;
}

const answers = new Map<string, Promise<ProbedSpeed | undefined>>();

/**
 * Probes (or recalls) a train node's speeds; nodes that only differ in what does not change the
 * speed (learning rate, dropout rate, seed, …) share one answer per process.
 * @returns undefined when the probe budget is spent.
 * @throws Error when the model cannot be built or the backend started (reported as no estimate).
 */
export function probeSpeed(
  node: StageNode<TrainStageParams>,
  size: RunSize,
  cacheDir: string,
): Promise<ProbedSpeed | undefined> {
  const p = node.params;
  const identity = [
    cacheDir,
    speedText(p.model),
    blockText(p.preprocess),
    p.train.batch_size,
    p.train.optimizer,
    blockText((node.runtime as { backend?: Json } | undefined)?.backend),
    size.shape.join("x"),
    size.classes,
  ].join("\u0000");
  let answer = answers.get(identity);
  if (!answer) answers.set(identity, answer = probeOnce(node, size, cacheDir));
  return answer;
}

async function probeOnce(
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
    model: speedRelevant(params.model as Json),
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
        20,
      );
      const inferSeconds = await timeSteps(
        async () => {
          const out = tf.tidy(() => applyInference(model, x));
          await out.data();
          out.dispose();
        },
        0.5,
        20,
      );
      const speed = { train: batch / trainSeconds, infer: batch / inferSeconds, setup };
      // Another process may have probed other models meanwhile: merge into the file's latest.
      const fresh = await readMemoFile(cacheDir);
      fresh[key] = speed;
      memo[key] = speed;
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
