/**
 * Past runs from the history store: one entry per distinct run (config, run name and the
 * fingerprint of its evaluate stage), newest invocation first.
 * @module
 */
import type {
  HistoryConfig,
  HistoryRun,
  HistoryStage,
  InvocationRecord,
} from "../../pipelines/history/history_record.ts";
import { openHistory } from "../../pipelines/history/history_store.ts";

/** One run of one past invocation. */
export interface PastRun {
  invocation: InvocationRecord;
  config: HistoryConfig;
  run: HistoryRun;
  /** Its train and evaluate stages in that invocation (absent when the planner had none). */
  train?: HistoryStage;
  evaluate?: HistoryStage;
}

/** The stage of `kind` that belongs to `run` in a config record. */
function stageOf(config: HistoryConfig, run: string, kind: string): HistoryStage | undefined {
  return config.stages.find((s) => s.kind === kind && s.runs.includes(run));
}

/** Every run of every record, newest invocation first, runs in config order. */
export function runsOfRecords(records: readonly InvocationRecord[]): PastRun[] {
  const sorted = [...records].sort((a, b) => b.id - a.id);
  return sorted.flatMap((invocation) =>
    invocation.configs.flatMap((config) =>
      config.runs.map((run) => ({
        invocation,
        config,
        run,
        train: stageOf(config, run.name, "train"),
        evaluate: stageOf(config, run.name, "evaluate"),
      }))
    )
  );
}

/**
 * Keeps the newest appearance of each distinct run: a rerun that found every stage fresh is the
 * same run, not a new one. Runs whose evaluate stage has no fingerprint (failed, interrupted)
 * are kept per invocation.
 */
export function distinctRuns(runs: readonly PastRun[]): PastRun[] {
  const seen = new Set<string>();
  return runs.filter((r) => {
    const id = r.evaluate?.fingerprint
      ? `${r.config.name}\0${r.run.name}\0${r.evaluate.fingerprint}`
      : `${r.invocation.id}\0${r.config.name}\0${r.run.name}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * Reads the history of a cache folder.
 * @returns the records, newest first; empty when nothing was ever recorded there.
 * @throws Error when the database cannot be opened or a record is damaged.
 */
export function readHistoryRecords(cacheRoot: string): InvocationRecord[] {
  const store = openHistory(cacheRoot);
  if (store === undefined) return [];
  try {
    return store.list();
  } finally {
    store.close();
  }
}
