/**
 * What the bench measures: one workload per distinct training step the shipped configs run
 * (configs/*.yaml and configs/examples/*.yaml, read with the engine's own loader).
 * @module
 */
import { basename } from "node:path";
import { loadConfig } from "../../pipelines/mod.ts";
import { canonicalJson } from "../../pipelines/mod.ts";
import type { DatasetName } from "../datasets/dataset_names.ts";
import { type ModelOptions, parseModelOptions, requiredInputShape } from "../models/mod.ts";
import { project } from "../project.ts";
import type { RunParams } from "../run_schema.ts";
// The train stage's own rule for the model's input (the resize it applies).
import { resolvePreprocess } from "../stages/_resolve_preprocess.ts";

/** One training step to time: a model at the input, batch and optimizer a config trains it with. */
export interface BenchWorkload {
  /** `config:run` of the first run that trains it, e.g. `mnist-all:densenet`. */
  id: string;
  /** Other `config:run`s with the same step (only data set, dropout rates or lr differ). */
  also: string[];
  model: ModelOptions;
  /** [h, w, c] the model sees (after the preprocessing resize). */
  inputShape: [number, number, number];
  classes: number;
  batchSize: number;
  /** `evaluate.batch_size`. */
  evalBatchSize: number;
  /** The optimizer settings that change the work of a step (the learning rate does not). */
  train: BenchOptimizer;
}

/** `train:` options a step's cost depends on. */
export interface BenchOptimizer {
  optimizer: "sgd" | "adam" | "adamw";
  momentum: number;
  nesterov: boolean;
  weight_decay: number;
}

/** Image shape and class count of each data set, as its reader returns them. */
export const DATASET_SHAPES: Record<
  DatasetName,
  { shape: [number, number, number]; classes: number }
> = {
  "mnist": { shape: [28, 28, 1], classes: 10 },
  "fashion-mnist": { shape: [28, 28, 1], classes: 10 },
  "cifar10": { shape: [32, 32, 3], classes: 10 },
  "tiny-imagenet": { shape: [64, 64, 3], classes: 200 },
};

/** The shipped configs: `configs/*.yaml` then `configs/examples/*.yaml`, each sorted by name. */
export function shippedConfigs(root = new URL("../../", import.meta.url).pathname): string[] {
  const list = (dir: string) => {
    try {
      return [...Deno.readDirSync(`${root}${dir}`)]
        .filter((e) => e.isFile && e.name.endsWith(".yaml"))
        .map((e) => `${root}${dir}/${e.name}`)
        .sort();
    } catch {
      return [];
    }
  };
  return [...list("configs"), ...list("configs/examples")];
}

// Dropout rates change which elements are zeroed, not the work: runs that differ only there
// share a workload (whether dropout is on at all does change the step); so do weight decays.
function costKey(w: Omit<BenchWorkload, "id" | "also">): string {
  const model = Object.fromEntries(
    Object.entries(w.model).map(([k, v]) =>
      k.endsWith("dropout") && typeof v === "number" ? [k, v > 0] : [k, v]
    ),
  );
  const train = { ...w.train, weight_decay: w.train.weight_decay > 0 };
  return canonicalJson({ ...w, model, train } as never);
}

/**
 * The distinct training steps of `configs` (default: {@linkcode shippedConfigs}), in config
 * order. Runs whose step costs the same (same model up to dropout rates, input, classes, batch
 * and optimizer) are one workload, listed in `also`.
 * @throws {ConfigError} when a config does not load.
 */
export function benchWorkloads(configs: string[] = shippedConfigs()): BenchWorkload[] {
  const byKey = new Map<string, BenchWorkload>();
  for (const file of configs) {
    const config = loadConfig(file, project);
    const name = config.name ?? basename(file, ".yaml");
    for (const run of config.runs) {
      const p = run.params as unknown as RunParams;
      const data = DATASET_SHAPES[p.data.dataset];
      const model = parseModelOptions(p.model);
      const wanted = requiredInputShape(model, data.shape);
      const { inputShape } = resolvePreprocess(wanted, p.preprocess, data.shape);
      const w = {
        model,
        inputShape,
        classes: data.classes,
        batchSize: p.train.batch_size,
        evalBatchSize: p.evaluate.batch_size,
        train: {
          optimizer: p.train.optimizer,
          momentum: p.train.momentum,
          nesterov: p.train.nesterov,
          weight_decay: p.train.weight_decay,
        },
      };
      const key = costKey(w);
      const id = `${name}:${run.name}`;
      const seen = byKey.get(key);
      if (seen) seen.also.push(id);
      else byKey.set(key, { id, also: [], ...w });
    }
  }
  return [...byKey.values()];
}

/** Whether `pattern` names a workload of `all` (see {@linkcode selectWorkloads}). */
function matchesWorkload(all: BenchWorkload[], pattern: string): boolean {
  return all.some((w) =>
    [w.id, ...w.also].some((id) => id === pattern || id.split(":")[0] === pattern) ||
    w.model.name === pattern
  );
}

/**
 * Splits a `--models` list at its commas, except where a comma belongs to a run id: run names
 * of swept lists contain commas (`tiny-imagenet-ablations:cnn-channels=128,256,512,1024-fc_units=512`).
 * At each position the longest run of comma-joined pieces that names a workload is taken; a piece
 * that names nothing stays alone (so {@linkcode selectWorkloads} reports it).
 */
export function splitWorkloadPatterns(all: BenchWorkload[], list: string): string[] {
  const pieces = list.split(",").map((p) => p.trim());
  const patterns: string[] = [];
  for (let i = 0; i < pieces.length;) {
    let end = i + 1;
    for (let j = pieces.length; j > i + 1; j--) {
      if (matchesWorkload(all, pieces.slice(i, j).join(","))) {
        end = j;
        break;
      }
    }
    const pattern = pieces.slice(i, end).join(",");
    if (pattern !== "") patterns.push(pattern);
    i = end;
  }
  return patterns;
}

/**
 * The workloads `patterns` pick: each pattern is a workload id or `also` entry (`mnist-all:alexnet`),
 * a config name (`mnist-all`: all of its workloads) or a model name (`densenet`), in the order of
 * the patterns (each workload once, where first picked).
 * @throws Error naming a pattern that matches nothing, with the ids there are.
 */
export function selectWorkloads(all: BenchWorkload[], patterns: string[]): BenchWorkload[] {
  const picked = new Set<BenchWorkload>();
  for (const pattern of patterns) {
    const hits = all.filter((w) => matchesWorkload([w], pattern));
    if (hits.length === 0) {
      throw new Error(
        `Cannot bench '${pattern}': no workload of the shipped configs matches it; use a ` +
          `config:run id, a config or a model name, e.g. ${
            all.slice(0, 3).map((w) => w.id).join(", ")
          }`,
      );
    }
    hits.forEach((w) => picked.add(w));
  }
  // In the order asked for: under a `--budget`, what is named first is measured first.
  return [...picked];
}
