/**
 * The params each stage kind receives: built once by the planner from a run's validated params
 * (tasks/run_schema.ts), fingerprinted by the engine and handed to the stage as they are; no
 * stage validates them again.
 * @module
 */
import type { KnownFile } from "../datasets/dataset_catalog.ts";
import type { DatasetName } from "../datasets/dataset_names.ts";
import type { DatasetSource } from "../datasets/image_set.ts";
import type { SourceDigest } from "../datasets/source_digest.ts";
import type { RunParams } from "../run_schema.ts";

/** Where the data stage reads: resolved when planning, with the content identity of the files. */
export type DataSource =
  | {
    kind: Exclude<DatasetSource["kind"], "download">;
    /** The folder (or archive) found. */
    location: string;
    /** What the files hold: a change to any of them reruns the data stage. */
    digest: SourceDigest;
  }
  | {
    kind: "download";
    /** The data directory to download into. */
    location: string;
    /** Base URLs, canonical first. */
    mirrors: string[];
  };

/** Params of the data stage. */
export interface DataStageParams {
  dataset: DatasetName;
  source: DataSource;
  /** The published files and their sums, to judge each original against. */
  known: KnownFile[];
}

/** Params of the split stage: the run's `split:` section. */
export type SplitStageParams = RunParams["split"];

/** Params of the train stage. */
export interface TrainStageParams {
  model: RunParams["model"];
  train: RunParams["train"];
  preprocess: RunParams["preprocess"];
  augment: RunParams["augment"];
  seed: number;
}

/** Params of the evaluate stage. */
export interface EvaluateStageParams {
  model: RunParams["model"];
  preprocess: RunParams["preprocess"];
  evaluate: RunParams["evaluate"];
  seed: number;
}
