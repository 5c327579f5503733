/**
 * Why a run's numbers need a second look: diverged, stuck at chance, stopped early, reduced.
 * @module
 */
import { formatMetric } from "./format_metric.ts";
import type { RunResult } from "./load_run_results.ts";

/** One reason to look twice at a run. */
export interface RunFlag {
  kind: "diverged" | "stuck" | "early-stopped" | "reduced" | "other";
  /** One line for a reader, e.g. "stuck at chance: test top-1 10.09 % (chance 10.00 %)". */
  text: string;
}

/** Options of {@linkcode runFlags}. */
export interface RunFlagsOptions {
  /** Below chance × this factor a run is "stuck". Default: 1.5. */
  stuckFactor?: number;
}

/** Flags the train stage raises that the report already explains in its own words. */
const EXPLAINED_FLAGS: Record<string, RunFlag["kind"]> = {
  "stuck-at-chance": "stuck",
  "diverged": "diverged",
};

/**
 * Lists a run's flags. A run is diverged when train.json says so or a loss is not finite; stuck
 * when its test top-1 is below chance × `stuckFactor` (chance = 1 / number of classes) or the
 * train stage raised `stuck-at-chance`; other train stage flags are kept verbatim.
 * @returns the flags, most serious first; empty for a healthy run
 */
export function runFlags(result: RunResult, options: RunFlagsOptions = {}): RunFlag[] {
  const flags: RunFlag[] = [];
  const { train, metrics, history } = result;
  const lastLoss = history.at(-1)?.train_loss;
  const nonFinite = !isFiniteNumber(metrics.loss) ||
    (history.length > 0 && !isFiniteNumber(lastLoss));
  if (train.status === "diverged" || nonFinite) {
    flags.push({ kind: "diverged", text: diverged(result) });
  }
  const classes = metrics.class_names.length;
  const chance = classes > 0 ? 1 / classes : 0;
  const top1 = metrics.top1;
  const diverging = flags.some((f) => f.kind === "diverged");
  if (
    !diverging && chance > 0 && (top1 === null || top1 < chance * (options.stuckFactor ?? 1.5))
  ) {
    flags.push({
      kind: "stuck",
      text: `stuck at chance: test top-1 ${formatMetric("accuracy", top1)} ` +
        `(chance ${formatMetric("accuracy", chance)})`,
    });
  } else if (!diverging && train.flags.includes("stuck-at-chance")) {
    flags.push({ kind: "stuck", text: "stuck at chance for a while during training" });
  }
  if (train.status === "early-stopped") {
    const planned = plannedEpochs(result);
    flags.push({
      kind: "early-stopped",
      text: `early-stopped after ${train.epochs}` + (planned ? ` of ${planned} epochs` : " epochs"),
    });
  }
  if (result.run.reduced) flags.push({ kind: "reduced", text: `reduced: ${result.run.reduced}` });
  for (const flag of train.flags) {
    if (!(flag in EXPLAINED_FLAGS)) flags.push({ kind: "other", text: flag });
  }
  return flags;
}

/** The epochs a run asked for: train.json's `planned_epochs`, else the `train.epochs` param. */
export function plannedEpochs(result: RunResult): number | null {
  if (result.train.planned_epochs !== undefined) return result.train.planned_epochs;
  const train = result.run.params.train as Record<string, unknown> | undefined;
  return typeof train?.epochs === "number" ? train.epochs : null;
}

function diverged(result: RunResult): string {
  const d = result.train.divergence;
  if (d) {
    const loss = d.loss !== undefined && d.loss !== null ? `, loss ${d.loss}` : "";
    const lr = d.lr !== undefined && d.lr !== null ? ` at lr ${formatMetric("lr", d.lr)}` : "";
    return `diverged in epoch ${d.epoch}${loss}${lr}`;
  }
  const where = result.history.findIndex((e) => !isFiniteNumber(e.train_loss));
  return where >= 0
    ? `diverged: training loss not finite from epoch ${result.history[where].epoch}`
    : "diverged";
}

function isFiniteNumber(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
