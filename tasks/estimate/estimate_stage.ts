/**
 * The project's time estimate of a train or evaluate stage (`Project.estimate`): the model's
 * speed on this backend, measured in an earlier run of the same model in this cache or by a
 * short probe, times the images and epochs of the new run, plus the fixed cost (data loading,
 * model build) the earlier run had. Other stages are left to the engine (last run of the same
 * stage).
 * @module
 */
import { join } from "node:path";
import { canonicalJson } from "../../pipelines/hashing/canonical_json.ts";
import type {
  EstimateContext,
  Json,
  MeasuredStage,
  StageEstimate,
  StageNode,
} from "../../pipelines/types.ts";
import { readHistory } from "../artifacts/history.ts";
import { readMetrics } from "../artifacts/metrics.ts";
import { readTrainInfo } from "../artifacts/train_info.ts";
import { SPLIT_ARTIFACT_FILES } from "../datasets/data_artifact_files.ts";
import type { SplitSummary } from "../datasets/write_split_artifact.ts";
import type { EvaluateStageParams, TrainStageParams } from "../stages/stage_params.ts";
import { probeSpeed } from "./probe_speed.ts";
import { type RunSize, runSize } from "./run_size.ts";

/** Inference is about this many times faster than a training step when nothing measured it. */
const INFER_OVER_TRAIN = 3;

const same = (a: unknown, b: unknown) => canonicalJson(a as Json) === canonicalJson(b as Json);
const backendOf = (runtime: unknown) => (runtime as { backend?: unknown } | null)?.backend;
// One formatter: toLocaleString builds a new one per call (a sweep formats a rate per stage).
const thousands = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
// A sweep's stages share few rates: each text is made once.
const rates = new Map<number, string>();
const rate = (n: number) => {
  const rounded = Math.round(n);
  let text = rates.get(rounded);
  if (text === undefined) rates.set(rounded, text = `${thousands.format(rounded)} images/s`);
  return text;
};
const probedBases = new Map<number, string>();
const probedBasis = (n: number) => {
  let text = probedBases.get(n);
  if (text === undefined) {
    probedBases.set(n, text = `${rate(n)} in a short probe (no earlier run of this model)`);
  }
  return text;
};

/** Earlier stages of `kind` of the same model on the same backend, best matches first. */
async function earlier(
  node: StageNode<TrainStageParams | EvaluateStageParams>,
  kind: string,
  context: EstimateContext,
): Promise<MeasuredStage[]> {
  const matches = (await context.measured(kind)).filter((m) =>
    same((m.params as { model?: unknown })?.model, node.params.model) &&
    same(backendOf(m.runtime), backendOf(node.runtime))
  );
  // Same batch size and preprocessing first (they change the speed), newest within each.
  const batch = (p: unknown) =>
    (p as { train?: { batch_size?: number }; evaluate?: { batch_size?: number } })?.train
      ?.batch_size ?? (p as { evaluate?: { batch_size?: number } })?.evaluate?.batch_size;
  const score = (m: MeasuredStage) =>
    (batch(m.params) === batch(node.params) ? 0 : 2) +
    (same((m.params as { preprocess?: unknown }).preprocess, node.params.preprocess) ? 0 : 1);
  return matches.sort((a, b) => score(a) - score(b));
}

/** The split counts an earlier train stage read (its `split` input, found by output digest). */
async function splitOf(stage: MeasuredStage, context: EstimateContext) {
  const split = (await context.measured("split")).find((s) => s.digest === stage.inputs.split);
  if (!split) return undefined;
  try {
    const summary = JSON.parse(
      await Deno.readTextFile(join(split.outDir, SPLIT_ARTIFACT_FILES.split)),
    ) as SplitSummary;
    return summary.counts;
  } catch {
    return undefined;
  }
}

async function fromEarlierTrain(
  node: StageNode<TrainStageParams>,
  size: RunSize,
  context: EstimateContext,
): Promise<StageEstimate | undefined> {
  for (const past of await earlier(node, "train", context)) {
    const counts = await splitOf(past, context);
    if (!counts) continue;
    let info, history;
    try {
      info = await readTrainInfo(past.outDir, past.id);
      history = await readHistory(past.outDir, past.id);
    } catch {
      continue;
    }
    const epochs = history.epochs.filter((e) => e.seconds !== null && e.images_per_sec !== null);
    if (!info.images_per_sec || epochs.length === 0) continue;
    const trainRate = info.images_per_sec;
    const epochSeconds = epochs.reduce((a, e) => a + e.seconds!, 0) / epochs.length;
    const validationSeconds = Math.max(0, epochSeconds - counts.train / trainRate);
    const validationRate = counts.validation > 0 && validationSeconds > 0
      ? counts.validation / validationSeconds
      : trainRate * INFER_OVER_TRAIN;
    const fixed = Math.max(0, past.seconds - epochs.reduce((a, e) => a + e.seconds!, 0));
    const seconds = fixed +
      node.params.train.epochs * (size.trainImages / trainRate + size.valImages / validationRate);
    return {
      seconds,
      basis: `${rate(trainRate)} measured in ${past.id} (${past.started.slice(0, 10)})`,
    };
  }
  return undefined;
}

/**
 * The fixed cost (process start, data loading, model build, saving) of the newest earlier train
 * stage of any model: what a probe cannot see. 0 when nothing ran here yet.
 */
function fixedCostOfAnyTrain(context: EstimateContext): Promise<number> {
  let cost = fixedCosts.get(context);
  if (cost === undefined) fixedCosts.set(context, cost = readFixedCostOfAnyTrain(context));
  return cost;
}

// Once per estimate pass: every probed stage of a sweep asks.
const fixedCosts = new WeakMap<EstimateContext, Promise<number>>();

async function readFixedCostOfAnyTrain(context: EstimateContext): Promise<number> {
  for (const past of await context.measured("train")) {
    try {
      const history = await readHistory(past.outDir, past.id);
      const epochs = history.epochs.reduce((a, e) => a + (e.seconds ?? 0), 0);
      return Math.max(0, past.seconds - epochs);
    } catch {
      continue;
    }
  }
  return 0;
}

async function estimateTrain(
  node: StageNode<TrainStageParams>,
  context: EstimateContext,
): Promise<StageEstimate | undefined> {
  const size = await runSize(node, context);
  if (!size) return undefined;
  const measured = await fromEarlierTrain(node, size, context);
  if (measured) return measured;
  const probe = await probeSpeed(node, size, context.cacheDir);
  if (!probe) return undefined;
  const fixed = Math.max(probe.setup ?? 0, await fixedCostOfAnyTrain(context));
  const seconds = fixed + node.params.train.epochs *
      (size.trainImages / probe.train + size.valImages / probe.infer);
  return { seconds, basis: probedBasis(probe.train) };
}

async function estimateEvaluate(
  node: StageNode<EvaluateStageParams>,
  context: EstimateContext,
): Promise<StageEstimate | undefined> {
  const size = await runSize(node, context);
  if (!size) return undefined;
  for (const past of await earlier(node, "evaluate", context)) {
    try {
      const metrics = await readMetrics(past.outDir, past.id);
      if (!metrics.images_per_sec || !metrics.seconds) continue;
      const fixed = Math.max(0, past.seconds - metrics.seconds);
      return {
        seconds: fixed + size.testImages / metrics.images_per_sec,
        basis: `${rate(metrics.images_per_sec)} measured in ${past.id} (${
          past.started.slice(0, 10)
        })`,
      };
    } catch {
      continue;
    }
  }
  const train = node.inputs.train as StageNode<TrainStageParams> | undefined;
  if (!train) return undefined;
  const probe = await probeSpeed(train, size, context.cacheDir);
  if (!probe) return undefined;
  return {
    seconds: (probe.setup ?? 0) + size.testImages / probe.infer,
    basis: probedBasis(probe.infer),
  };
}

/** `Project.estimate` of the CNN side (see the module doc). */
export function estimateStage(
  node: StageNode,
  context: EstimateContext,
): Promise<StageEstimate | undefined> {
  if (node.kind === "train") return estimateTrain(node as StageNode<TrainStageParams>, context);
  if (node.kind === "evaluate") {
    return estimateEvaluate(node as StageNode<EvaluateStageParams>, context);
  }
  return Promise.resolve(undefined);
}
