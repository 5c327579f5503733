/**
 * Writes a pipeline invocation into the history: a record when it starts (outcome `running`),
 * completed with every stage's fingerprint and outcome when it ends.
 * @module
 */
import { hostname } from "node:os";
import type { CacheLayout } from "../cache/cache_layout.ts";
import type { PlannedStage } from "../graph/stage_graph.ts";
import type { StageResult } from "../run/stage_result.ts";
import type { ResolvedConfig } from "../types.ts";
import { gitState } from "./git_state.ts";
import type { HistoryConfig, NewInvocation } from "./history_record.ts";
import { openHistory } from "./history_store.ts";

/** What {@linkcode beginInvocation} needs to know. */
export interface InvocationStart {
  layout: CacheLayout;
  // deno-lint-ignore no-explicit-any
  configs: readonly ResolvedConfig<any, any>[];
  stages: readonly PlannedStage[];
  /** The command line after the program name. */
  args: readonly string[];
  /** Called with a warning when the history cannot be written (the pipeline goes on). */
  warn: (line: string) => void;
}

/** An invocation being recorded. */
export interface InvocationLog {
  /** The record's id; undefined when it could not be written. */
  id?: number;
  /** Completes the record with the stage results and how the invocation ended. */
  finish(results: readonly StageResult[] | undefined, exitCode: number, interrupted: boolean): void;
}

function configRecords(
  start: InvocationStart,
  results: ReadonlyMap<PlannedStage, StageResult>,
): HistoryConfig[] {
  return start.configs.map((config) => ({
    name: config.name,
    path: config.path,
    hash: config.hash,
    runs: config.runs.map((run) => ({
      name: run.name,
      experiment: run.experiment,
      seed: run.seed,
      ...(run.sweep ? { sweep: run.sweep } : {}),
      ...(run.overrides ? { overrides: run.overrides } : {}),
      params: run.params,
    })),
    stages: start.stages.filter((s) => s.configs.includes(config.name)).map((stage) => {
      const result = results.get(stage);
      return {
        ids: stage.ids,
        kind: stage.kind,
        runs: stage.runs,
        ...(result?.fingerprint ? { fingerprint: result.fingerprint } : {}),
        ...(result ? { outcome: result.outcome, seconds: result.seconds } : {}),
      };
    }),
  }));
}

/**
 * Appends a `running` record for this invocation. The history is a record, not a result: when
 * it cannot be written, `warn` says why and the pipeline runs anyway.
 */
export function beginInvocation(start: InvocationStart): InvocationLog {
  const started = new Date();
  const base: NewInvocation = {
    started: started.toISOString(),
    outcome: "running",
    args: [...start.args],
    overrides: [...new Set(start.configs.flatMap((c) => c.overrides ?? []))],
    cwd: Deno.cwd(),
    host: hostname(),
    pid: Deno.pid,
    git: gitState(),
    configs: configRecords(start, new Map()),
  };
  let id: number | undefined;
  const write = (action: (store: NonNullable<ReturnType<typeof openHistory>>) => void) => {
    try {
      const store = openHistory(start.layout.root, { create: true })!;
      try {
        action(store);
      } finally {
        store.close();
      }
    } catch (error) {
      start.warn(`Cannot record this invocation in the history: ${(error as Error).message}`);
    }
  };
  write((store) => id = store.append(base));
  return {
    get id() {
      return id;
    },
    finish(results, exitCode, interrupted) {
      if (id === undefined) return;
      const finished = new Date();
      const byStage = new Map((results ?? []).map((r) => [r.stage, r]));
      const record: NewInvocation = {
        ...base,
        finished: finished.toISOString(),
        seconds: (finished.getTime() - started.getTime()) / 1000,
        outcome: interrupted ? "interrupted" : exitCode === 0 ? "ok" : "failed",
        exit_code: exitCode,
        configs: configRecords(start, byStage),
      };
      write((store) => store.update(id!, record));
    },
  };
}
