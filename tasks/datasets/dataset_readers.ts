/**
 * Which reader module decodes each data set: the planner hands a data stage only its own.
 * @module
 */
import type { DatasetName } from "./dataset_names.ts";
import type { DatasetReader } from "./dataset_reader.ts";
import * as cifar10 from "./read_cifar10_source.ts";
import * as idx from "./read_idx_source.ts";
import * as tinyImagenet from "./read_tiny_imagenet_source.ts";

const READERS: Record<DatasetName, { module: URL; reader: DatasetReader }> = {
  mnist: { module: new URL("./read_idx_source.ts", import.meta.url), reader: idx },
  "fashion-mnist": { module: new URL("./read_idx_source.ts", import.meta.url), reader: idx },
  cifar10: { module: new URL("./read_cifar10_source.ts", import.meta.url), reader: cifar10 },
  "tiny-imagenet": {
    module: new URL("./read_tiny_imagenet_source.ts", import.meta.url),
    reader: tinyImagenet,
  },
};

/** The reader module of a data set (its URL, for a stage's `uses`). */
export function datasetReaderModule(dataset: DatasetName): URL {
  return READERS[dataset].module;
}

/** The reader of a data set, for tools that decode in this process. */
export function datasetReader(dataset: DatasetName): DatasetReader {
  return READERS[dataset].reader;
}
