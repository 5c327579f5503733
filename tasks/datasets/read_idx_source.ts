/**
 * The reader of MNIST and Fashion-MNIST (the four IDX files, `.gz` or not). See dataset_reader.ts.
 * @module
 */
import { checkSourceFile } from "./check_source_file.ts";
import { FIXED_CLASS_NAMES } from "./class_names.ts";
import type { ReadDataset, ReadDatasetOptions } from "./dataset_reader.ts";
import { findIdxFiles, readIdxDataset } from "./read_idx_dataset.ts";

async function idxFiles(location: string) {
  const found = await findIdxFiles(location);
  if ("missing" in found) throw new Error(`${location} lacks ${found.missing.join(", ")}`);
  return found;
}

/** The four IDX files at `location`. */
export async function sourceFiles(location: string): Promise<string[]> {
  return Object.values(await idxFiles(location)).sort();
}

/** Decodes the IDX files at `location` and checks each against the published sums. */
export async function readDataset(
  location: string,
  options: ReadDatasetOptions,
): Promise<ReadDataset> {
  const { dataset } = options;
  if (dataset !== "mnist" && dataset !== "fashion-mnist") {
    throw new Error(`Cannot read ${dataset} with the IDX reader`);
  }
  const found = await idxFiles(location);
  const idx = await readIdxDataset(found, [...FIXED_CLASS_NAMES[dataset]]);
  const files = [];
  for (const path of Object.values(found)) {
    files.push(await checkSourceFile(path, options.known, options.sums?.[path], idx.content[path]));
  }
  return { train: idx.train, test: idx.test, classNames: idx.classNames, files };
}
