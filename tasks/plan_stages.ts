/**
 * The stage graph of a config: one data stage per data set source, one split stage per
 * (data, split params), one train and one evaluate stage per run, one report per config.
 * Stages with equal params and inputs are built once here (the engine merges equal
 * fingerprints across configs too).
 * @module
 */
import { cpus } from "node:os";
import { canonicalJson } from "../pipelines/canonical_json.ts";
import type { ExpandedRun, Json, ResolvedConfig, StageNode } from "../pipelines/types.ts";
import type { RunParams } from "./run_schema.ts";
import type { RuntimeFacts } from "./runtime_facts.ts";
import { reportPlanParams } from "./report/report_plan_params.ts";

const stageModule = (file: string) => new URL(`./stages/${file}`, import.meta.url);

/** Builds the stage graph of `config` (runs already expanded and validated). */
export function planStages(config: ResolvedConfig): StageNode[] {
  const facts = config.runtime as unknown as RuntimeFacts;
  const shared = new Map<string, StageNode>();
  /** The node for `key`, made once: runs that read the same data or split share it. */
  const share = (key: string, make: () => StageNode): StageNode => {
    const node = shared.get(key) ?? make();
    shared.set(key, node);
    return node;
  };
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
  for (const run of config.runs) {
    const p = run.params as unknown as RunParams;
    const dataKey = canonicalJson(p.data as unknown as Json);
    const data = share(`data ${dataKey}`, () => ({
      id: uniqueId(`data:${p.data.dataset}`),
      kind: "data",
      module: stageModule("data_stage.ts"),
      params: p.data as unknown as Json,
      inputs: {},
    }));
    const split = share(`split ${dataKey} ${canonicalJson(p.split as unknown as Json)}`, () => ({
      id: uniqueId(splitLabel(p)),
      kind: "split",
      module: stageModule("split_stage.ts"),
      params: p.split as unknown as Json,
      inputs: { data },
    }));
    const runtime: Json = {
      backend: facts.backends[p.backend] ?? p.backend,
      tfjs: facts.tfjs,
      deno: facts.deno,
    };
    const train: StageNode = {
      id: `train:${run.name}`,
      kind: "train",
      run: run.name,
      module: stageModule("train_stage.ts"),
      params: {
        model: p.model,
        train: p.train,
        preprocess: p.preprocess,
        augment: p.augment,
        seed: p.seed,
        backend: p.backend,
      } as unknown as Json,
      inputs: { data, split },
      runtime,
    };
    const evaluate: StageNode = {
      id: `evaluate:${run.name}`,
      kind: "evaluate",
      run: run.name,
      module: stageModule("evaluate_stage.ts"),
      params: {
        model: p.model,
        preprocess: p.preprocess,
        evaluate: p.evaluate,
        seed: p.seed,
        backend: p.backend,
      } as unknown as Json,
      inputs: { data, split, train },
      runtime,
    };
    nodes.push(train, evaluate);
    reportInputs[`train:${run.name}`] = train;
    reportInputs[`evaluate:${run.name}`] = evaluate;
    // The report draws test images (samples, mistakes) from the data artifact.
    reportInputs[`data:${run.name}`] = data;
  }
  const report: StageNode = {
    id: `report:${config.name}`,
    kind: "report",
    module: stageModule("report_stage.ts"),
    params: {
      config: {
        name: config.name,
        path: config.path,
        hash: config.hash,
        ...(config.description ? { description: config.description } : {}),
      },
      options: config.report,
      runs: config.runs.map(reportRun),
      provenance: {
        deno: facts.deno,
        tfjs: facts.tfjs,
        backend: [...new Set(Object.values(facts.backends))].join(", "),
        machine: machineDescription(),
      },
      // The notes file's text and the stage graph to draw (tasks/report/report_plan_params.ts).
      ...reportPlanParams(config, [...new Set(shared.values()), ...nodes], reportInputs),
    },
    inputs: reportInputs,
    publish: `reports/${config.name}`,
  };
  return [...new Set(shared.values()), ...nodes, report];
}

function splitLabel(p: RunParams): string {
  const parts = [`val=${p.split.validation}`, `seed=${p.split.seed}`];
  if (p.split.stratified) parts.push("stratified");
  if (p.split.limit !== undefined) parts.push(`limit=${p.split.limit}`);
  if (p.split.fraction !== undefined) parts.push(`fraction=${p.split.fraction}`);
  return `split:${p.data.dataset}:${parts.join(",")}`;
}

/** A run as the report stage wants it, labelled when it trains on part of the data. */
function reportRun(run: ExpandedRun): Json {
  const p = run.params as unknown as RunParams;
  const reduced: string[] = [];
  if (p.reference_epochs !== undefined && p.train.epochs < p.reference_epochs) {
    reduced.push(`${p.train.epochs} of ${p.reference_epochs} epochs`);
  }
  if (p.split.fraction !== undefined && p.split.fraction < 1) {
    reduced.push(`${+(p.split.fraction * 100).toFixed(2)} % of the training data`);
  }
  if (p.split.limit !== undefined) reduced.push(`at most ${p.split.limit} training images`);
  return {
    name: run.name,
    experiment: run.experiment,
    ...(run.sweep ? { sweep: run.sweep } : {}),
    seed: run.seed,
    params: run.params,
    ...(reduced.length > 0 ? { reduced: reduced.join(", ") } : {}),
  } as Json;
}

function machineDescription(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? "unknown CPU";
  return `${model} × ${list.length} (${Deno.build.os}-${Deno.build.arch})`;
}
