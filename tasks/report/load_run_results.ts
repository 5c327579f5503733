/**
 * Reads every run's train and evaluate artifacts into memory, validating each file.
 * @module
 */
import { join } from "node:path";
import { readHistory, type StoredEpoch } from "../artifacts/history.ts";
import { type Metrics, METRICS_FILE, readMetrics } from "../artifacts/metrics.ts";
import { readModelSummary, type StoredModelSummary } from "../artifacts/model_summary.ts";
import { readTrainInfo, type TrainInfo } from "../artifacts/train_info.ts";
import type { ReportRun } from "./report_params.ts";

/** Everything the report knows about one run. */
export interface RunResult {
  run: ReportRun;
  history: StoredEpoch[];
  train: TrainInfo;
  metrics: Metrics;
  /** Null when the train stage wrote no summary.json. */
  summary: StoredModelSummary | null;
  trainDir: string;
  evaluateDir: string;
}

/** Options of {@linkcode loadRunResults}. */
export interface LoadRunResultsOptions {
  /** Called after each run is loaded (progress). Default: none. */
  onLoaded?: (done: number, total: number, run: string) => void;
}

/**
 * Loads `train:<run>` and `evaluate:<run>` outputs for every run.
 * @param runs the runs, in the order the report shows them
 * @param inputs input name → stage output directory (the stage context's `inputs`)
 * @returns one result per run, in the same order
 * @throws Error when an input is missing or a file is absent or invalid, naming the run and file
 */
export async function loadRunResults(
  runs: readonly ReportRun[],
  inputs: Readonly<Record<string, string>>,
  options: LoadRunResultsOptions = {},
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const run of runs) {
    const trainDir = inputDir(inputs, "train", run.name);
    const evaluateDir = inputDir(inputs, "evaluate", run.name);
    const what = `run '${run.name}'`;
    const history = await readHistory(trainDir, what);
    const train = await readTrainInfo(trainDir, what);
    const metrics = await readMetrics(evaluateDir, what);
    const summary = await readModelSummary(trainDir, what);
    checkConfusion(metrics, join(evaluateDir, METRICS_FILE), run.name);
    results.push({
      run,
      history: history.epochs,
      train,
      metrics,
      summary,
      trainDir,
      evaluateDir,
    });
    options.onLoaded?.(results.length, runs.length, run.name);
  }
  return results;
}

function inputDir(inputs: Readonly<Record<string, string>>, kind: string, run: string): string {
  const key = `${kind}:${run}`;
  const dir = inputs[key];
  if (dir === undefined) {
    const known = Object.keys(inputs).sort().join(", ") || "none";
    throw new Error(
      `Cannot build the report as run '${run}' has no '${key}' input: the inputs are ${known}`,
    );
  }
  return dir;
}

function checkConfusion(metrics: Metrics, path: string, run: string): void {
  const n = metrics.class_names.length;
  const square = metrics.confusion.length === n && metrics.confusion.every((r) => r.length === n);
  if (!square) {
    throw new Error(
      `Cannot read ${path} of run '${run}' as its confusion matrix is not ${n} × ${n} ` +
        `(one row and column per class name): it has ${metrics.confusion.length} rows`,
    );
  }
}
