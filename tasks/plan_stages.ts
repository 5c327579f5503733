/**
 * The stage graph of a config: one data stage per data set source, one split stage per
 * (data, split params), one train and one evaluate stage per run, one report per config.
 * Stages with equal params and inputs are built once here (the engine merges equal stages
 * across configs too). Each stage's params are typed by its kind (stages/stage_params.ts), and
 * each stage is handed exactly the code its params select: the model's family file, the
 * resolved backend's starter, the data set's reader.
 * @module
 */
import { canonicalJson } from "../pipelines/hashing/canonical_json.ts";
import type { PlanContext, ResolvedConfig, StageNode } from "../pipelines/types.ts";
import { backendModule } from "./backends/backend_modules.ts";
import { DATASET_CATALOG } from "./datasets/dataset_catalog.ts";
import { datasetReaderModule } from "./datasets/dataset_readers.ts";
import { planDataSource } from "./datasets/plan_data_source.ts";
import { familyModule } from "./models/model_families.ts";
import type { ReportParamsInput, ReportRun } from "./report/report_params.ts";
import type { RunParams } from "./run_schema.ts";
import type { RuntimeFacts } from "./runtime_facts.ts";
import { cjkFontDigest } from "./report/cjk_font_digest.ts";
import { reportPlanParams } from "./report/report_plan_params.ts";
import type {
  DataStageParams,
  EvaluateStageParams,
  SplitStageParams,
  TrainStageParams,
} from "./stages/stage_params.ts";

// One URL per stage module, shared by every node (the engine names each code set once).
const stageModules = new Map<string, URL>();
const stageModule = (file: string) => {
  let url = stageModules.get(file);
  if (url === undefined) stageModules.set(file, url = new URL(`./stages/${file}`, import.meta.url));
  return url;
};

/** Builds the stage graph of `config` (runs already expanded and validated). */
export async function planStages(
  config: ResolvedConfig<RunParams, RuntimeFacts>,
  context: PlanContext,
): Promise<StageNode[]> {
  const facts = config.runtime;
  const shared = new Map<string, StageNode>();
  const labels = new Set<string>();
  /** A readable id, numbered when two different stages would get the same label. */
  const uniqueId = (label: string): string => {
    let id = label;
    for (let n = 2; labels.has(id); n++) id = `${label}#${n}`;
    labels.add(id);
    return id;
  };

  const nodes: StageNode[] = [];
  const reportInputs: Record<string, StageNode> = {};
  const reportRuns: ReportRun[] = [];
  const runs = config.runs.filter((run) => run.params.skip === undefined);
  if (runs.length === 0) {
    throw new Error(
      `Cannot plan config '${config.name}' as every run has a skip: reason: remove skip: from the runs to run`,
    );
  }
  const notRun = config.runs.filter((run) => run.params.skip !== undefined)
    .map((run) => ({ name: run.name, experiment: run.experiment, reason: run.params.skip! }));
  // One runtime and one `uses` object per (model family, backend), shared by the runs' nodes:
  // the engine serializes each object once, however big the sweep.
  const setups = new Map<string, Pick<StageNode, "runtime" | "uses">>();
  const trainSetup = (p: RunParams) => {
    const id = `${p.model.name}\u0000${p.backend}`;
    let setup = setups.get(id);
    if (setup === undefined) {
      const backend = facts.backends[p.backend];
      setup = {
        runtime: {
          backend: backend.id,
          ...(backend.threads === undefined ? {} : { threads: backend.threads }),
          tfjs: facts.tfjs,
          deno: facts.deno,
        },
        uses: { family: familyModule(p.model.name), backend: backendModule(backend.name) },
      };
      setups.set(id, setup);
    }
    return setup;
  };
  for (const run of runs) {
    const p = run.params;
    const dataKey = canonicalJson(p.data);
    let data = shared.get(`data ${dataKey}`) as StageNode<DataStageParams> | undefined;
    if (!data) {
      const params: DataStageParams = {
        dataset: p.data.dataset,
        source: await planDataSource(p.data.dataset, {
          path: p.data.path,
          cacheDir: context.cacheDir,
        }),
        known: DATASET_CATALOG[p.data.dataset].files,
      };
      data = {
        id: uniqueId(`data:${p.data.dataset}`),
        kind: "data",
        // Decoding a data set can need gigabytes: its own process, so running out fails it alone.
        isolate: true,
        module: stageModule("data_stage.ts"),
        uses: { reader: datasetReaderModule(p.data.dataset) },
        params,
        inputs: {},
      };
      shared.set(`data ${dataKey}`, data);
    }
    const splitKey = `split ${dataKey} ${canonicalJson(p.split)}`;
    let split = shared.get(splitKey) as StageNode<SplitStageParams> | undefined;
    if (!split) {
      split = {
        id: uniqueId(splitLabel(p)),
        kind: "split",
        module: stageModule("split_stage.ts"),
        params: p.split,
        inputs: { data },
      };
      shared.set(splitKey, split);
    }
    const { runtime, uses } = trainSetup(p);
    const train: StageNode<TrainStageParams> = {
      id: `train:${run.name}`,
      kind: "train",
      isolate: true,
      run: run.name,
      module: stageModule("train_stage.ts"),
      uses,
      params: trainStageParams(p),
      inputs: { data, split },
      runtime,
    };
    const evaluate: StageNode<EvaluateStageParams> = {
      id: `evaluate:${run.name}`,
      kind: "evaluate",
      isolate: true,
      run: run.name,
      module: stageModule("evaluate_stage.ts"),
      uses,
      params: evaluateStageParams(p),
      inputs: { data, split, train },
      runtime,
    };
    nodes.push(train, evaluate);
    // Named by the stages' own ids (one string each, however big the sweep).
    reportInputs[train.id] = train;
    reportInputs[evaluate.id] = evaluate;
    // The report draws test images (samples, mistakes) from the data artifact: one input per
    // data stage, named in each run's `data`.
    reportInputs[data.id] = data;
    reportRuns.push(reportRun(run, data.id));
  }
  const stages = [...new Set(shared.values()), ...nodes];
  const report: StageNode<ReportParamsInput> = {
    id: `report:${config.name}`,
    kind: "report",
    module: stageModule("report_stage.ts"),
    params: {
      config: {
        name: config.name,
        path: config.path,
        // Read when the report's params are (its key, its run): `status` of a big sweep never
        // serializes every run for it.
        get hash() {
          return config.hash;
        },
        ...(config.description ? { description: config.description } : {}),
        ...(config.overrides?.length ? { overrides: config.overrides } : {}),
      },
      options: config.report as ReportParamsInput["options"],
      runs: reportRuns,
      ...(notRun.length > 0 ? { not_run: notRun } : {}),
      provenance: {
        deno: facts.deno,
        tfjs: facts.tfjs,
        backend: [...new Set(Object.values(facts.backends).map((b) => b.name))].join(", "),
      },
    },
    inputs: reportInputs,
    // Chart text is drawn with a system CJK font the code hash cannot see.
    runtime: { cjk_font: await cjkFontDigest(context.cacheDir) },
    publish: `reports/${config.name}`,
  };
  // The notes file's text and the stage graph to draw, described when read
  // (tasks/report/report_plan_params.ts): copied with its getter.
  Object.defineProperties(
    report.params,
    Object.getOwnPropertyDescriptors(reportPlanParams(config, stages, reportInputs)),
  );
  return [...stages, report];
}

/** The train stage's params of a run: what training reads, nothing else. */
export function trainStageParams(p: RunParams): TrainStageParams {
  return {
    model: p.model,
    train: p.train,
    preprocess: p.preprocess,
    augment: p.augment,
    seed: p.seed,
  };
}

/** The evaluate stage's params of a run. */
export function evaluateStageParams(p: RunParams): EvaluateStageParams {
  return { model: p.model, preprocess: p.preprocess, evaluate: p.evaluate, seed: p.seed };
}

function splitLabel(p: RunParams): string {
  const parts = [`val=${p.split.validation}`, `seed=${p.split.seed}`];
  if (p.split.stratified) parts.push("stratified");
  if (p.split.limit !== undefined) parts.push(`limit=${p.split.limit}`);
  if (p.split.fraction !== undefined) parts.push(`fraction=${p.split.fraction}`);
  return `split:${p.data.dataset}:${parts.join(",")}`;
}

/** A run as the report stage wants it, labelled when it trains on part of the data. */
function reportRun(run: ResolvedConfig<RunParams>["runs"][number], data: string): ReportRun {
  const p = run.params;
  const reduced: string[] = [];
  if (p.reference_epochs !== undefined && p.train.epochs < p.reference_epochs) {
    reduced.push(`${p.train.epochs} of ${p.reference_epochs} epochs`);
  }
  // Training on the same subset as the reproduced experiment is not a reduction.
  if (p.split.fraction !== undefined && p.split.fraction < (p.reference_fraction ?? 1)) {
    const percent = (f: number) => `${+(f * 100).toFixed(2)} %`;
    const reference = p.reference_fraction === undefined
      ? ""
      : ` (the reference used ${percent(p.reference_fraction)})`;
    reduced.push(`${percent(p.split.fraction)} of the training data${reference}`);
  }
  if (p.split.limit !== undefined) reduced.push(`at most ${p.split.limit} training images`);
  return {
    name: run.name,
    experiment: run.experiment,
    data,
    ...(run.sweep ? { sweep: run.sweep } : {}),
    ...(run.overrides ? { overrides: run.overrides } : {}),
    seed: run.seed,
    params: p as unknown as Record<string, unknown>,
    ...(reduced.length > 0 ? { reduced: reduced.join(", ") } : {}),
  };
}
