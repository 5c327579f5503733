import type { DatasetName } from "./dataset_names.ts";
import type { DatasetMeta, DatasetSource, ImageSet } from "./image_set.ts";
import { DATASET_CATALOG } from "./dataset_catalog.ts";
import { datasetReader } from "./dataset_readers.ts";
import { datasetMeta } from "./dataset_meta.ts";
import { resolveSource, type ResolveSourceOptions } from "./resolve_source.ts";

/** Options of {@linkcode loadDataset}: the `data:` section plus where to look. */
export interface LoadDatasetOptions extends ResolveSourceOptions {
  dataset: DatasetName;
}

/**
 * Finds (downloading if needed), verifies and decodes a data set in this process (tools and
 * tests; the data stage gets its source from the planner). Every original file is hashed and
 * compared with the published sums: a file of the published size whose sum differs is an
 * error (a damaged copy); other files (fixtures, repackaged copies) are used after the format
 * checks and marked `unknown` in the meta.
 *
 * @returns the decoded train and test sets, the meta the data artifact records, and where the
 *   files were found (not part of the meta: the same files elsewhere are the same data)
 * @throws Error when nothing is found, a checksum mismatches or a file is malformed.
 */
export async function loadDataset(
  options: LoadDatasetOptions,
): Promise<{ train: ImageSet; test: ImageSet; meta: DatasetMeta; source: DatasetSource }> {
  const { dataset } = options;
  const catalog = options.catalog ?? DATASET_CATALOG[dataset];
  const source = await resolveSource(dataset, options);
  const decoded = await datasetReader(dataset).readDataset(source.location, {
    dataset,
    known: catalog.files,
    progress: options.progress,
  });
  for (const file of decoded.files) {
    options.log?.(
      `${file.name}: ${file.bytes} bytes, sha256 ${file.sha256}, verified: ${file.verified}`,
    );
  }
  return {
    train: decoded.train,
    test: decoded.test,
    meta: datasetMeta(dataset, decoded),
    source,
  };
}
