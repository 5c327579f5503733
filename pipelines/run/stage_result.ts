import type { PlannedStage } from "../graph/stage_graph.ts";

/**
 * What happened to a stage in one pipeline run. `submitted`: handed to an executor that keeps
 * it queued or running after the pipeline returned (`--detach`).
 */
export type Outcome = "run" | "restored" | "fresh" | "failed" | "skipped" | "submitted";

/** A stage's outcome, with its timing and why it ran (or failed, or was skipped). */
export interface StageResult {
  stage: PlannedStage;
  outcome: Outcome;
  seconds: number;
  /** Why it ran (empty when fresh). */
  reasons: string[];
  /** For failed/skipped: the message. */
  error?: string;
  /** The cache key its outputs are stored under (fresh, restored, run). */
  fingerprint?: string;
  /** Digest of its outputs' content (fresh, restored, run): what dependents are keyed on. */
  digest?: string;
  /** Where it ran or still runs, when an executor had it (`child process`, `slurm job 17`). */
  execution?: string;
}

/** `train:x (run x)` for failure messages. */
export function describeStage(stage: PlannedStage): string {
  return stage.runs.length ? `${stage.id} (run ${stage.runs.join(", ")})` : stage.id;
}
