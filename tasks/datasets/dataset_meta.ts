import type { DatasetName } from "./dataset_names.ts";
import type { ReadDataset } from "./dataset_reader.ts";
import type { DatasetMeta } from "./image_set.ts";

/**
 * The data artifact's `meta.json` for a decoded data set. It holds what the bytes are (shape,
 * counts, classes, the originals' sums), not where they were read from: the same files found
 * in another folder give the same artifact, so nothing downstream reruns.
 */
export function datasetMeta(dataset: DatasetName, decoded: ReadDataset): DatasetMeta {
  const count = (labels: Int32Array) => {
    const counts = new Array<number>(decoded.classNames.length).fill(0);
    for (const label of labels) counts[label]++;
    return counts;
  };
  return {
    dataset,
    shape: decoded.train.shape,
    counts: { train: decoded.train.count, test: decoded.test.count },
    classNames: decoded.classNames,
    sha256: Object.fromEntries(decoded.files.map((f) => [f.name, f.sha256])),
    files: decoded.files,
    classCounts: { train: count(decoded.train.labels), test: count(decoded.test.labels) },
  };
}
