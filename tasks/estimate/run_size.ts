/**
 * How many images a train or evaluate stage will see, from its planned inputs: the data set's
 * size (from a data stage already run in this cache, else its published size) and the split.
 * @module
 */
import { join } from "node:path";
import type { EstimateContext, StageNode } from "../../pipelines/types.ts";
import { DATA_ARTIFACT_FILES } from "../datasets/data_artifact_files.ts";
import type { DatasetName } from "../datasets/dataset_names.ts";
import type { DatasetMeta } from "../datasets/image_set.ts";
import { splitCounts } from "../datasets/split_dataset.ts";
import type { DataStageParams, SplitStageParams } from "../stages/stage_params.ts";

/** The published sizes (images per part, image shape, classes) of the data sets cnnlab reads. */
const PUBLISHED: Record<
  DatasetName,
  { train: number; test: number; shape: [number, number, number]; classes: number }
> = {
  mnist: { train: 60_000, test: 10_000, shape: [28, 28, 1], classes: 10 },
  "fashion-mnist": { train: 60_000, test: 10_000, shape: [28, 28, 1], classes: 10 },
  cifar10: { train: 50_000, test: 10_000, shape: [32, 32, 3], classes: 10 },
  "tiny-imagenet": { train: 100_000, test: 10_000, shape: [64, 64, 3], classes: 200 },
};

/** The images a run trains, validates and tests on. */
export interface RunSize {
  trainImages: number;
  valImages: number;
  testImages: number;
  /** The data set's image shape `[h, w, c]`, before preprocessing. */
  shape: [number, number, number];
  classes: number;
}

type DatasetSize = {
  train: number;
  test: number;
  shape: [number, number, number];
  classes: number;
};

// One answer per data set and estimate pass: a sweep's runs share their data stage.
const sizes = new WeakMap<EstimateContext, Map<string, Promise<DatasetSize | undefined>>>();

/** {@linkcode readDatasetSize}, once per data set and estimate context. */
function datasetSize(data: StageNode<DataStageParams>, context: EstimateContext) {
  let known = sizes.get(context);
  if (!known) sizes.set(context, known = new Map());
  let size = known.get(data.params.dataset);
  if (!size) known.set(data.params.dataset, size = readDatasetSize(data, context));
  return size;
}

/** The size of the data set a data stage reads: its meta.json if it ran here, else published. */
async function readDatasetSize(
  data: StageNode<DataStageParams>,
  context: EstimateContext,
): Promise<DatasetSize | undefined> {
  for (const done of await context.measured("data")) {
    if ((done.params as { dataset?: string })?.dataset !== data.params.dataset) continue;
    try {
      const meta = JSON.parse(
        await Deno.readTextFile(join(done.outDir, DATA_ARTIFACT_FILES.meta)),
      ) as DatasetMeta;
      return { ...meta.counts, shape: meta.shape, classes: meta.classNames.length };
    } catch {
      continue;
    }
  }
  return PUBLISHED[data.params.dataset];
}

/**
 * The sizes of the run a train or evaluate node belongs to (its `data` and `split` inputs).
 * @returns undefined when the node has no such inputs.
 */
export async function runSize(
  node: StageNode,
  context: EstimateContext,
): Promise<RunSize | undefined> {
  const data = node.inputs.data as StageNode<DataStageParams> | undefined;
  const split = node.inputs.split as StageNode<SplitStageParams> | undefined;
  if (!data || !split) return undefined;
  const size = await datasetSize(data, context);
  if (!size) return undefined;
  const counts = splitCounts(size.train, split.params);
  return {
    trainImages: counts.train,
    valImages: counts.validation,
    testImages: size.test,
    shape: size.shape,
    classes: size.classes,
  };
}
