/**
 * Data sets: readers of the published formats, sources (local, system, download), the data
 * and split artifacts, preprocessing and batches.
 * @module
 */
export { DATASET_NAMES, type DatasetName } from "./dataset_names.ts";
export type {
  DatasetMeta,
  DatasetSource,
  DecodedDataset,
  ImageSet,
  SourceFile,
} from "./image_set.ts";
export {
  type AugmentOptions,
  augmentOptionsSchema,
  type DataOptions,
  dataOptionsSchema,
  type PreprocessOptions,
  preprocessOptionsSchema,
  type SplitOptions,
  splitOptionsSchema,
} from "./options_schemas.ts";
export { classNames, FIXED_CLASS_NAMES, tinyImageNetClassNames } from "./class_names.ts";
export { DATASET_CATALOG, type DatasetCatalogEntry, type KnownFile } from "./dataset_catalog.ts";
export { loadDataset, type LoadDatasetOptions } from "./load_dataset.ts";
export { resolveSource, type ResolveSourceOptions } from "./resolve_source.ts";
export { downloadFile, type DownloadFileOptions, type ProgressReport } from "./download_file.ts";
export { type Checksums, compareChecksums, fileChecksums } from "./file_checksums.ts";
export { readIdx } from "./read_idx.ts";
export { findIdxFiles, readIdxDataset } from "./read_idx_dataset.ts";
export { decodeCifar10Batch, readCifar10 } from "./read_cifar10.ts";
export { readTinyImageNet } from "./read_tiny_imagenet.ts";
export { readTarGz } from "./read_tar_gz.ts";
export { DATA_ARTIFACT_FILES, SPLIT_ARTIFACT_FILES } from "./data_artifact_files.ts";
export { writeDataArtifact } from "./write_data_artifact.ts";
export { loadDataArtifact } from "./load_data_artifact.ts";
export { type SplitSummary, writeSplitArtifact } from "./write_split_artifact.ts";
export { loadSplitArtifact } from "./load_split_artifact.ts";
export { type DatasetSplit, splitDataset, type SplitDatasetOptions } from "./split_dataset.ts";
export { type ChannelStats, channelStats } from "./channel_stats.ts";
export {
  type Batch,
  batchCount,
  batches,
  type BatchOptions,
  type BatchPreprocess,
} from "./batches.ts";
export { preprocessedShape } from "./preprocessed_shape.ts";
