/**
 * Where a data stage will read from, decided when planning: the located files and what they
 * hold (so a different folder, or a changed file, reruns the data stage), or the download that
 * will fetch them.
 * @module
 */
import { DATASET_CATALOG } from "./dataset_catalog.ts";
import type { DatasetName } from "./dataset_names.ts";
import { datasetReader } from "./dataset_readers.ts";
import { digestMemo } from "./file_digest_memo.ts";
import { locateDataset, type LocateDatasetOptions } from "./locate_dataset.ts";
import { type SourceDigest, sourceDigest } from "./source_digest.ts";

/** A located data set and what its files hold, or the download that would fetch it. */
export type PlannedDataSource =
  | {
    kind: "path" | "env" | "data-dir" | "system";
    location: string;
    digest: SourceDigest;
  }
  | { kind: "download"; location: string; mirrors: string[] };

/** Options of {@linkcode planDataSource}. */
export interface PlanDataSourceOptions extends LocateDatasetOptions {
  /** The cache folder: file digests are remembered in `<cacheDir>/state/file-digests.json`. */
  cacheDir: string;
}

/**
 * Locates `dataset` ({@linkcode locateDataset}) and digests the files its reader will read,
 * reading a file only when the digest memo does not know its current stat.
 * @throws Error when `data.path` does not hold the data, or when no copy exists and downloads
 *   are disabled (`CNNLAB_OFFLINE=1`), listing every place tried and how to get the data.
 */
export async function planDataSource(
  dataset: DatasetName,
  options: PlanDataSourceOptions,
): Promise<PlannedDataSource> {
  const located = await locateDataset(dataset, options);
  const catalog = options.catalog ?? DATASET_CATALOG[dataset];
  if (located.kind === "download") {
    const env = options.env ?? Deno.env.toObject();
    if (env.CNNLAB_OFFLINE === "1") {
      const tried = [
        ...located.tried,
        `download into ${located.location}: disabled (CNNLAB_OFFLINE=1)`,
      ];
      throw new Error(
        `Cannot find the ${dataset} data set (${catalog.title}). Tried, in order:\n` +
          tried.map((t, i) => `  ${i + 1}. ${t}`).join("\n") +
          `\nHow to get it: ${catalog.howToGet}`,
      );
    }
    return { kind: "download", location: located.location, mirrors: catalog.mirrors };
  }
  const files = await datasetReader(dataset).sourceFiles(located.location);
  const opened = await digestMemo(options.cacheDir);
  const digest = await sourceDigest(located.location, files, (path) => opened.sha256(path));
  await opened.save();
  return { kind: located.kind, location: located.location, digest };
}
