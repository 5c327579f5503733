/**
 * The contract between the engine (pipelines/) and the project that plugs into it (tasks/).
 * See ARCHITECTURE.md, "Engine ↔ tasks". The engine knows nothing about CNNs: it only sees
 * schemas, stage nodes and JSON params.
 * @module
 */
import type { z } from "zod";

/** Any JSON value. Params, runtime facts and report options are JSON so they can be fingerprinted. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** What a stage module receives. The engine owns every path in it. */
export interface StageContext {
  /** Empty temp dir; becomes the cache entry on success (atomic rename). */
  outDir: string;
  /** Input name → output dir of that upstream stage (read-only). */
  inputs: Record<string, string>;
  /** This stage's resolved params (exactly what was fingerprinted). */
  params: Json;
  /** Persistent scratch for this fingerprint (checkpoints); survives a kill, deleted after success. */
  workDir: string;
  /** Runtime facts fingerprinted with the stage (e.g. `{ backend: "wasm" }`). */
  runtime: Json;
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
export interface StageModule {
  run(ctx: StageContext): Promise<void>;
}

/** A node of the stage graph, built by the project's planner. */
export interface StageNode {
  /** Unique human label: "data:mnist", "train:lenet-lr=0.01-seed=1". */
  id: string;
  /** "data" | "split" | "train" | "evaluate" | "report" (any string; the engine does not care). */
  kind: string;
  /** Stage module; its source + local (relative) imports are the code hash. */
  module: URL;
  params: Json;
  inputs: Record<string, StageNode>;
  /** Runtime facts that change this stage's numbers; part of the fingerprint. Default: null. */
  runtime?: Json;
  /** Copy outputs here (relative to the cwd) after run/restore, replacing the folder's contents. */
  publish?: string;
  /**
   * Added field: the run this node belongs to (train/evaluate nodes), used by `--only <run-glob>`
   * and in failure messages. When absent the engine uses the part of `id` after the first ':'.
   * Shared nodes (data, split) and the report should leave it undefined.
   */
  run?: string;
}

/** One run after expansion of experiments × sweep points × seeds, validated by `runSchema`. */
export interface ExpandedRun {
  /** Readable, unique: `resnet-conv_dropout=0.1-fc_dropout=0.5-seed=1`. */
  name: string;
  /** The `experiments:` key it came from. */
  experiment: string;
  /** The sweep block and the values of its point, by dotted key path. */
  sweep?: { name: string; values: Record<string, Json> };
  seed: number;
  /** Merged params (defaults ⊕ experiment ⊕ sweep ⊕ seed) after `runSchema` (defaults applied). */
  params: Json;
}

/** A loaded, merged and validated config file: what `Project.plan` receives. */
export interface ResolvedConfig {
  /** `name:` or the file stem. */
  name: string;
  /** The config file path as given (relative to the cwd when it was given that way). */
  path: string;
  /** SHA-256 of the canonical JSON of { name, runs, report } (not of the file bytes). */
  hash: string;
  description?: string;
  runs: ExpandedRun[];
  /** `report:` after `reportSchema` (defaults applied). */
  report: Json;
  /** Added field: what `Project.runtimeFacts(runs)` returned, for the planner to attach to nodes. */
  runtime: Json;
}

/** What the CNN side supplies to the engine. */
export interface Project {
  /** Validates one run's merged params (defaults ⊕ experiment ⊕ sweep). */
  runSchema: z.ZodType;
  /** Validates `report:`. */
  reportSchema: z.ZodType;
  /** Builds the stage graph; runs are already expanded and validated. */
  plan(config: ResolvedConfig): StageNode[];
  /** Runtime facts, e.g. resolved backend, tfjs and Deno versions. */
  runtimeFacts(runs: ExpandedRun[]): Promise<Json>;
}
