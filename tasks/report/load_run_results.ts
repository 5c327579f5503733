/**
 * Reads every run's train and evaluate artifacts into memory, validating each file.
 * @module
 */
import { join } from "node:path";
import type { z } from "zod";
import type { ReportRun } from "./report_params.ts";
import {
  type EpochRecord,
  type EvalMetrics,
  evalMetricsSchema,
  historySchema,
  type ModelSummary,
  modelSummarySchema,
  type TrainInfo,
  trainInfoSchema,
} from "./run_files_schema.ts";

/** Everything the report knows about one run. */
export interface RunResult {
  run: ReportRun;
  history: EpochRecord[];
  train: TrainInfo;
  metrics: EvalMetrics;
  /** Null when the train stage wrote no summary.json. */
  summary: ModelSummary | null;
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
    const history = await readJson(join(trainDir, "history.json"), historySchema, run.name);
    const train = await readJson(join(trainDir, "train.json"), trainInfoSchema, run.name);
    const metrics = await readJson(join(evaluateDir, "metrics.json"), evalMetricsSchema, run.name);
    const summaryPath = join(trainDir, "summary.json");
    const summary = await exists(summaryPath)
      ? await readJson(summaryPath, modelSummarySchema, run.name)
      : null;
    checkConfusion(metrics, join(evaluateDir, "metrics.json"), run.name);
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

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function readJson<T extends z.ZodType>(
  path: string,
  schema: T,
  run: string,
): Promise<z.output<T>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`Cannot build the report as run '${run}' has no ${path}`);
    }
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Cannot read ${path} of run '${run}' as it is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) =>
      `${i.path.join(".") || "(root)"}: ${i.message}`
    );
    throw new Error(`Cannot read ${path} of run '${run}': ${problems.join("; ")}`);
  }
  return parsed.data;
}

function checkConfusion(metrics: EvalMetrics, path: string, run: string): void {
  const n = metrics.class_names.length;
  const square = metrics.confusion.length === n && metrics.confusion.every((r) => r.length === n);
  if (!square) {
    throw new Error(
      `Cannot read ${path} of run '${run}' as its confusion matrix is not ${n} × ${n} ` +
        `(one row and column per class name): it has ${metrics.confusion.length} rows`,
    );
  }
}
