/**
 * Calling stage modules directly in tests, with the context the engine would build: the params
 * as the real planner makes them and the modules the stage `uses` imported.
 * @module
 */
import type { Json, ProgressUpdate, StageContext, StageNode } from "../pipelines/types.ts";
import { backendModule } from "../tasks/backends/backend_modules.ts";
import type { BackendName } from "../tasks/backends/backend_names.ts";
import { DATASET_CATALOG } from "../tasks/datasets/dataset_catalog.ts";
import type { DatasetName } from "../tasks/datasets/dataset_names.ts";
import { datasetReaderModule } from "../tasks/datasets/dataset_readers.ts";
import { planDataSource } from "../tasks/datasets/plan_data_source.ts";
import { familyModule } from "../tasks/models/model_families.ts";
import type { DataStageParams } from "../tasks/stages/stage_params.ts";

/** Options of {@linkcode stageContext}; dirs must exist. */
export interface StageContextOptions {
  outDir: string;
  workDir?: string;
  inputs?: Record<string, string>;
  runtime?: Json;
  /** Name → URL of the modules the stage uses (imported here). */
  uses?: Record<string, URL>;
  /** Echo log lines to the console (long real-data runs). Default false. */
  echo?: boolean;
}

/** A context plus the log lines and progress updates the stage sent. */
export interface TestStage<P> {
  ctx: StageContext<P>;
  logs: string[];
  progress: ProgressUpdate[];
}

/** A StageContext for `params`, recording logs and progress. */
export async function stageContext<P>(
  params: P,
  options: StageContextOptions,
): Promise<TestStage<P>> {
  const logs: string[] = [];
  const progress: ProgressUpdate[] = [];
  const uses: Record<string, unknown> = {};
  for (const [name, url] of Object.entries(options.uses ?? {})) uses[name] = await import(url.href);
  const inputs = options.inputs ?? {};
  const ctx: StageContext<P> = {
    outDir: options.outDir,
    workDir: options.workDir ?? options.outDir,
    inputs,
    params,
    runtime: options.runtime ?? null,
    fingerprint: "test",
    inputFingerprints: Object.fromEntries(Object.keys(inputs).map((n) => [n, `test-${n}`])),
    uses,
    log: (line) => {
      logs.push(line);
      if (options.echo) console.log(line);
    },
    progress: (p) => progress.push(p),
    signal: new AbortController().signal,
  };
  return { ctx, logs, progress };
}

/** The modules a train or evaluate stage of `model` on `backend` uses, as the planner picks them. */
export function modelStageUses(
  model: string,
  backend: Exclude<BackendName, "auto">,
): Record<string, URL> {
  return { family: familyModule(model), backend: backendModule(backend) };
}

/** The data stage's params and uses for `dataset` read from `path`, as the planner makes them. */
export async function dataStageNode(
  dataset: DatasetName,
  path: string,
  cacheDir: string,
): Promise<Pick<StageNode<DataStageParams>, "params" | "uses">> {
  return {
    params: {
      dataset,
      source: await planDataSource(dataset, { path, cacheDir }),
      known: DATASET_CATALOG[dataset].files,
    },
    uses: { reader: datasetReaderModule(dataset) },
  };
}

/** Makes `root/name` and returns its path. */
export async function subdir(root: string, name: string): Promise<string> {
  const path = `${root}/${name}`;
  await Deno.mkdir(path, { recursive: true });
  return path;
}
