/**
 * Before `run` starts anything: which stages will run, how long they should take, and — for a
 * long run in an interactive terminal — whether the user still wants it.
 * @module
 */
import type { CacheLayout } from "../cache/cache_layout.ts";
import { type Estimates, estimateStages, totalEstimate } from "../estimate/estimate_stages.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import type { Json, Project } from "../types.ts";
import { describeTotal } from "./estimate_table.ts";
import { explainStages } from "./explain_stages.ts";
import { formatDuration } from "./progress_reporter.ts";

/** The stages a run expects to compute and their estimates. */
export interface RunPreview {
  toRun: PlannedStage[];
  estimates: Estimates;
}

/** Assesses every stage as `status` does and estimates those that will run. */
export async function previewRun<R, F extends Json>(
  project: Project<R, F>,
  stages: readonly PlannedStage[],
  layout: CacheLayout,
  forced: ((stage: PlannedStage) => boolean) | undefined,
  warn: (line: string) => void,
): Promise<RunPreview> {
  const items = await explainStages(stages, layout, forced);
  const toRun = items.filter((i) => !i.assessment.fresh).map((i) => i.stage);
  return { toRun, estimates: await estimateStages(project, toRun, layout, warn) };
}

/** Minutes above which an interactive run asks first: `$CNNLAB_CONFIRM_MINUTES`, default 60. */
export function confirmThresholdSeconds(
  env: string | undefined = Deno.env.get("CNNLAB_CONFIRM_MINUTES"),
): number {
  const minutes = Number(env ?? "60");
  return (Number.isFinite(minutes) && minutes >= 0 ? minutes : 60) * 60;
}

/** Options of {@linkcode confirmLongRun}. */
export interface ConfirmOptions {
  /** `--yes`: never ask. */
  yes: boolean;
  /** Asks a yes/no question; undefined when nobody can answer (not a terminal): never asks. */
  ask?: (question: string) => boolean | Promise<boolean>;
  /** Seconds above which to ask. Default: {@linkcode confirmThresholdSeconds}. */
  thresholdSeconds?: number;
}

/**
 * Asks before a run whose estimate exceeds the threshold, naming the longest stages.
 * @returns false when the user declined.
 */
export async function confirmLongRun(
  preview: RunPreview,
  options: ConfirmOptions,
): Promise<boolean> {
  const { seconds } = totalEstimate(preview.toRun, preview.estimates);
  const threshold = options.thresholdSeconds ?? confirmThresholdSeconds();
  if (options.yes || options.ask === undefined || seconds <= threshold) return true;
  const longest = [...preview.estimates].sort((a, b) => b[1].seconds - a[1].seconds).slice(0, 3)
    .map(([stage, e]) => `${stage.id} ${formatDuration(e.seconds)}`).join(", ");
  return await options.ask(
    `This run is estimated at ${
      describeTotal(preview.toRun, preview.estimates)
    } (longest: ${longest}). Start it?`,
  );
}

/** The default question asker: the terminal's `confirm()` when stdin is one, else none. */
export function terminalAsk(): ConfirmOptions["ask"] {
  return Deno.stdin.isTerminal() ? (question) => confirm(question) : undefined;
}
