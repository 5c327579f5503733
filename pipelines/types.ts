/**
 * The contract between the engine (pipelines/) and the project that plugs into it (tasks/).
 * See ARCHITECTURE.md, "Engine ↔ tasks". The engine knows nothing about CNNs: it only sees
 * schemas, stage nodes and JSON-serializable params.
 * @module
 */
import type { z } from "zod";

/** Any JSON value. Params, runtime facts and report options are JSON so they can be fingerprinted. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** What a stage module receives, typed by its params `P`. The engine owns every path in it. */
export interface StageContext<P = unknown> {
  /** Empty temp dir; becomes the cache entry on success (atomic rename). */
  outDir: string;
  /** Input name → output dir of that upstream stage (read-only). */
  inputs: Record<string, string>;
  /** This stage's params, exactly as the planner built and the engine fingerprinted them. */
  params: P;
  /** Persistent scratch for this fingerprint (checkpoints); survives a kill, deleted after success. */
  workDir: string;
  /** Runtime facts fingerprinted with the stage (e.g. `{ backend: "wasm" }`). */
  runtime: Json;
  /** This stage's fingerprint: the cache key its outputs are stored under. */
  fingerprint: string;
  /** Input name → fingerprint of the upstream stage whose outputs `inputs` points at. */
  inputFingerprints: Record<string, string>;
  /** The modules named in the node's `uses`, imported by the engine: name → module namespace. */
  uses: Record<string, unknown>;
  /** Writes one line to the stage's log (shown on stderr and kept in the cache entry's `log.txt`). */
  log: (line: string) => void;
  /** Reports progress; the engine renders a bar with rate and ETA. */
  progress: (p: ProgressUpdate) => void;
  /** Aborted when the user interrupts the pipeline; stages should stop soon after. */
  signal: AbortSignal;
}

/** One progress report from a stage. */
export interface ProgressUpdate {
  done: number;
  total: number;
  unit: string;
  note?: string;
}

/** A stage module: `export async function run(ctx)`. */
export interface StageModule<P = unknown> {
  run(ctx: StageContext<P>): Promise<void>;
}

/** A node of the stage graph, built by the project's planner. */
export interface StageNode<P = unknown> {
  /** Unique human label: "data:mnist", "train:lenet-lr=0.01-seed=1". */
  id: string;
  /** "data" | "split" | "train" | "evaluate" | "report" (any string; the engine does not care). */
  kind: string;
  /** Stage module; its source and every local file it loads are part of the code hash. */
  module: URL;
  /**
   * Further code the stage runs, chosen by its params (a model family, a backend): name →
   * module. Each is hashed with `module` and imported by the engine, which hands the namespaces
   * to the stage as `ctx.uses`; so a stage's code set is exactly what its params select.
   */
  uses?: Record<string, URL>;
  /** JSON-serializable params: what the stage receives and the key records. */
  params: P;
  // deno-lint-ignore no-explicit-any
  inputs: Record<string, StageNode<any>>;
  /** Runtime facts that change this stage's numbers; part of the fingerprint. Default: null. */
  runtime?: Json;
  /**
   * Publish outputs here (relative to the cwd, inside `Project.publishRoot`) after run/restore.
   * Only the files the tool wrote there are ever replaced or deleted (pipelines/README.md,
   * "Publishing").
   */
  publish?: string;
  /**
   * Run this stage in its own process even with `--jobs 1`: for stages that may need much
   * memory, so that running out fails this stage (with the remedy) and not the whole pipeline.
   * Where it runs never changes its key. Default: false.
   */
  isolate?: boolean;
  /**
   * The run this node belongs to (train/evaluate nodes), used by `--only <run-glob>` and in
   * failure messages. When absent the engine uses the part of `id` after the first ':' if that
   * is a run name. Shared nodes (data, split) and the report leave it undefined.
   */
  run?: string;
}

/** One run after expansion of experiments × sweep points × seeds, validated by `runSchema`. */
export interface ExpandedRun<R = Json> {
  /** Readable, unique: `resnet-conv_dropout=0.1-fc_dropout=0.5-seed=1`. */
  name: string;
  /** The `experiments:` key it came from. */
  experiment: string;
  /**
   * The sweep block and the values of its point, by dotted key path. Command-line sweeps
   * (`key=a,b`) add their values; runs only they vary are in the sweep `command-line`.
   */
  sweep?: { name: string; values: Record<string, Json> };
  /** The command-line overrides that set values of this run: dotted key → value. */
  overrides?: Record<string, Json>;
  seed: number;
  /** Merged params (defaults ⊕ experiment ⊕ sweep ⊕ seed) after `runSchema` (defaults applied). */
  params: R;
}

/** A loaded, merged and validated config file: what `Project.plan` receives. */
export interface ResolvedConfig<R = Json, F extends Json = Json> {
  /** `name:` or the file stem. */
  name: string;
  /** The config file path as given (relative to the cwd when it was given that way). */
  path: string;
  /**
   * SHA-256 of the canonical JSON of { name, runs, report } (not of the file bytes). Computed
   * when first read (it serializes every run): read it only where it is used, so that `status`
   * of a big sweep does not pay for it.
   */
  readonly hash: string;
  /** The command-line overrides applied to it, as given (`train.lr=0.01`); absent when none. */
  overrides?: string[];
  description?: string;
  runs: ExpandedRun<R>[];
  /** `report:` after `reportSchema` (defaults applied). */
  report: Json;
  /** What `Project.runtimeFacts(runs)` returned, for the planner to attach to nodes. */
  runtime: F;
}

/** What the engine tells the planner besides the config. */
export interface PlanContext {
  /** The cache folder in use (absolute): a planner may keep memos there, e.g. file digests. */
  cacheDir: string;
}

/** A stage completed earlier in this cache: what the project may base a time estimate on. */
export interface MeasuredStage {
  /** The id it ran under. */
  id: string;
  kind: string;
  params: Json;
  runtime: Json;
  /** Input name → digest of that input's outputs (as in the fingerprint). */
  inputs: Record<string, string>;
  /** Digest of its own outputs: a dependent's `inputs` value when it read them. */
  digest: string;
  /** Wall time of the stage. */
  seconds: number;
  /** ISO time it started. */
  started: string;
  /** Its outputs (read-only). */
  outDir: string;
}

/** What the engine offers the project's estimate hook. */
export interface EstimateContext {
  /** The cache folder in use (absolute); a project may keep memos there, e.g. probe results. */
  cacheDir: string;
  /** Completed stages of a kind in this cache, newest first. */
  measured(kind: string): Promise<MeasuredStage[]>;
}

/** A time estimate and what it rests on (`2,400 images/s measured on an earlier run`). */
export interface StageEstimate {
  seconds: number;
  basis: string;
}

/** One stage's outcome, as {@linkcode Project.afterRun} sees it. */
export interface StageOutcome {
  id: string;
  kind: string;
  /**
   * `interrupted`: started and stopped by Ctrl-C / SIGTERM; `submitted`: still queued or running
   * on a cluster (`--detach`); nothing to publish yet for either.
   */
  outcome: "run" | "restored" | "fresh" | "failed" | "skipped" | "interrupted" | "submitted";
  seconds: number;
  /** Where its outputs were published (relative to the cwd, or absolute). */
  publish: string[];
}

/** What the CNN side supplies to the engine, typed by one run's params `R` and its runtime facts `F`. */
export interface Project<R = Json, F extends Json = Json> {
  /** Validates one run's merged params (defaults ⊕ experiment ⊕ sweep). */
  runSchema: z.ZodType<R>;
  /** Validates `report:`. */
  reportSchema: z.ZodType;
  /** Builds the stage graph; runs are already expanded and validated. */
  plan(config: ResolvedConfig<R, F>, context: PlanContext): StageNode[] | Promise<StageNode[]>;
  /** Runtime facts, e.g. resolved backend, tfjs and Deno versions. */
  runtimeFacts(runs: ExpandedRun<R>[]): Promise<F>;
  /**
   * Every node's `publish` target must lie strictly inside this folder (relative to the cwd, or
   * absolute); anything else is refused when publishing. Default: the cwd.
   */
  publishRoot?: string;
  /**
   * Modules every stage process imports before its stage (process-wide settings, e.g. silencing
   * a library's banner). They must not change results: they are not part of any key. Optional.
   */
  stageSetup?: URL[];
  /**
   * Expected wall time of a stage that will run, for `status`, the pipeline's ETA and the
   * confirmation of long runs; undefined when the project cannot tell (the engine then uses
   * the last run of a stage with the same params or id). Optional.
   */
  estimate?(node: StageNode, context: EstimateContext): Promise<StageEstimate | undefined>;
  /**
   * Called once `run` has finished (whatever the outcome) with every stage's outcome: writes
   * per-run facts beside published outputs and returns text to print at the end (e.g. where
   * the report went and its results). Its errors are reported, never fatal. Optional.
   */
  afterRun?(outcomes: StageOutcome[]): Promise<string | undefined>;
  /**
   * Stage kinds that need little (one CPU, no GPU): a cluster executor asks for the config's
   * `executor.light` resources for them instead of the full ones. Default: none.
   */
  lightStageKinds?: readonly string[];
  /**
   * Run param keys (dotted) whose command-line override leaves the run's name alone: they change
   * no result, only what is said or planned about the run (`skip`, `assumptions`), so the run
   * keeps its name, its references and its report rows.
   */
  unnamedOverrideKeys?: readonly string[];
}
