import { basename } from "node:path";
import type { DatasetName } from "./dataset_names.ts";
import type { DatasetMeta, DecodedDataset, ImageSet, SourceFile } from "./image_set.ts";
import { DATASET_CATALOG, type KnownFile } from "./dataset_catalog.ts";
import { compareChecksums, fileChecksums } from "./file_checksums.ts";
import { FIXED_CLASS_NAMES } from "./class_names.ts";
import { findIdxFiles, readIdxDataset } from "./read_idx_dataset.ts";
import { readCifar10 } from "./read_cifar10.ts";
import { readTinyImageNet } from "./read_tiny_imagenet.ts";
import { resolveSource, type ResolveSourceOptions } from "./resolve_source.ts";

/** Options of {@linkcode loadDataset}: the `data:` section plus where to look. */
export interface LoadDatasetOptions extends ResolveSourceOptions {
  dataset: DatasetName;
}

/**
 * Finds, verifies and decodes a data set (see {@linkcode resolveSource} for the order of
 * places). Every original file is hashed and compared with the published sums: a file of the
 * published size whose sum differs is an error (a damaged copy); other files (fixtures,
 * repackaged copies) are used after the format checks and marked `unknown` in the meta.
 *
 * @returns the decoded train and test sets and the meta the data artifact records
 * @throws Error when nothing is found, a checksum mismatches or a file is malformed.
 */
export async function loadDataset(
  options: LoadDatasetOptions,
): Promise<{ train: ImageSet; test: ImageSet; meta: DatasetMeta }> {
  const { dataset } = options;
  const catalog = options.catalog ?? DATASET_CATALOG[dataset];
  const log = options.log ?? (() => {});
  const source = await resolveSource(dataset, options);
  let decoded: DecodedDataset;
  const files: SourceFile[] = [];
  if (dataset === "mnist" || dataset === "fashion-mnist") {
    const found = await findIdxFiles(source.location);
    if ("missing" in found) throw new Error(`${source.location} lacks ${found.missing.join(", ")}`);
    const idx = await readIdxDataset(found, [...FIXED_CLASS_NAMES[dataset]]);
    for (const path of Object.values(found)) {
      files.push(await checkFile(path, catalog.files, idx.content[path]));
    }
    decoded = idx;
  } else {
    const isArchive = (await Deno.stat(source.location)).isFile;
    if (isArchive) files.push(await checkFile(source.location, catalog.files));
    const bytesTotal = isArchive ? (await Deno.stat(source.location)).size : 0;
    decoded = dataset === "cifar10"
      ? await readCifar10(source.location, (done) => {
        options.progress?.({ done, total: bytesTotal, unit: "B", note: "reading archive" });
      })
      : readTinyImageNet(source.location, (done, total) => {
        options.progress?.({ done, total, unit: "img", note: "decoding JPEG" });
      });
  }
  for (const file of files) {
    log(`${file.name}: ${file.bytes} bytes, sha256 ${file.sha256}, verified: ${file.verified}`);
  }
  const meta: DatasetMeta = {
    dataset,
    shape: decoded.train.shape,
    counts: { train: decoded.train.count, test: decoded.test.count },
    classNames: decoded.classNames,
    source,
    sha256: Object.fromEntries(files.map((f) => [f.name, f.sha256])),
    files,
    classCounts: {
      train: countClasses(decoded.train.labels, decoded.classNames.length),
      test: countClasses(decoded.test.labels, decoded.classNames.length),
    },
  };
  return { train: decoded.train, test: decoded.test, meta };
}

/** Hashes one original file and judges it against the published sums (see loadDataset). */
async function checkFile(
  path: string,
  known: KnownFile[],
  content?: { bytes: number; sha256: string },
): Promise<SourceFile> {
  const name = basename(path);
  const sums = await fileChecksums(path);
  const entry = known.find((k) => k.name === name || k.name === `${name}.gz`);
  const result: SourceFile = { name, bytes: sums.bytes, sha256: sums.sha256, verified: "unknown" };
  if (entry === undefined) return result;
  const verdict = compareChecksums(entry, sums);
  if (verdict.ok) {
    return verdict.note === undefined
      ? { ...result, verified: verdict.by }
      : { ...result, verified: verdict.by, note: verdict.note };
  }
  if (content !== undefined && content.sha256 === entry.contentSha256) {
    return { ...result, verified: "content-sha256" };
  }
  // A full-size copy that does not match is damaged; smaller files are fixtures or subsets.
  const fullSize = content !== undefined
    ? content.bytes === entry.contentBytes
    : sums.bytes === entry.bytes;
  if (fullSize && verdict.reason === "mismatch") {
    throw new Error(
      `Cannot use ${path}: ${verdict.message}` +
        (content !== undefined ? ` (decompressed content SHA-256 ${content.sha256})` : "") +
        `; the copy is damaged, delete it and fetch it again`,
    );
  }
  return result;
}

function countClasses(labels: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}
