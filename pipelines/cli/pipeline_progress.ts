/**
 * Wraps a reporter so every line says which stage of the run it is (`3/7 train:lenet`) and the
 * progress bar ends with the whole pipeline's ETA: the running stage's own remaining time plus
 * the estimates of the stages still to come.
 * @module
 */
import type { Estimates } from "../estimate/estimate_stages.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import { formatDuration, type Reporter } from "./progress_reporter.ts";

/** Options of {@linkcode pipelineProgressReporter}. */
export interface PipelineProgressOptions {
  /** The stages expected to run, in order (stages found fresh meanwhile are not counted). */
  stages: readonly PlannedStage[];
  estimates: Estimates;
  /** Stages run at once: the remaining sum is divided by it. Default: 1. */
  jobs?: number;
  /** Clock in ms. Default: `Date.now`. */
  now?: () => number;
}

/** A reporter that numbers stages and adds the pipeline's ETA to each progress line. */
export function pipelineProgressReporter(
  inner: Reporter,
  options: PipelineProgressOptions,
): Reporter {
  const now = options.now ?? Date.now;
  const total = options.stages.length;
  const byId = new Map(options.stages.map((s) => [s.id, s]));
  const numbers = new Map<string, number>();
  const started = new Map<string, number>();
  const remaining = new Map<string, number>();
  const first = new Map<string, { done: number; time: number; unit: string }>();
  const finished = new Set<string>();
  const label = (stage: string) => {
    if (!numbers.has(stage)) {
      numbers.set(stage, numbers.size + 1);
      started.set(stage, now());
    }
    return `${Math.min(numbers.get(stage)!, Math.max(total, numbers.size))}/${
      Math.max(total, numbers.size)
    } ${stage}`;
  };
  const pipelineEta = (): string => {
    let seconds = 0;
    let unknown = false;
    for (const stage of options.stages) {
      if (finished.has(stage.id)) continue;
      const own = remaining.get(stage.id);
      const estimate = options.estimates.get(stage)?.seconds;
      if (own !== undefined) seconds += own;
      else if (estimate !== undefined) {
        const elapsed = started.has(stage.id) ? (now() - started.get(stage.id)!) / 1000 : 0;
        seconds += Math.max(0, estimate - elapsed);
      } else unknown = true;
    }
    seconds /= Math.max(1, options.jobs ?? 1);
    return `pipeline ETA ${formatDuration(seconds)}${unknown ? "+?" : ""}`;
  };
  return {
    log(stage, line) {
      inner.log(label(stage), line);
    },
    progress(stage, update) {
      const name = label(stage);
      // The stage's own rate since its first report (a resumed stage starts part-way).
      const start = first.get(stage);
      if (!start || start.unit !== update.unit || update.done < start.done) {
        first.set(stage, { done: update.done, time: now(), unit: update.unit });
      } else if (byId.has(stage) && update.done > start.done) {
        const rate = (update.done - start.done) / ((now() - start.time) / 1000);
        remaining.set(stage, Math.max(0, update.total - update.done) / rate);
      }
      const note = update.note ? `${update.note} · ${pipelineEta()}` : pipelineEta();
      inner.progress(name, { ...update, note });
    },
    done(stage) {
      finished.add(stage);
      remaining.delete(stage);
      inner.done(label(stage));
    },
  };
}
