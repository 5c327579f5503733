import type { DatasetName } from "./dataset_names.ts";
import type { DatasetSource } from "./image_set.ts";
import { DATASET_CATALOG } from "./dataset_catalog.ts";
import { findDatasetFiles } from "./find_dataset_files.ts";
import { downloadDataset } from "./download_dataset.ts";
import type { ProgressReport } from "./download_file.ts";
import { describeSource, locateDataset, type LocateDatasetOptions } from "./locate_dataset.ts";

/** Options of {@linkcode resolveSource}; every default reads the real environment. */
export interface ResolveSourceOptions extends LocateDatasetOptions {
  /** Download when no local copy is found. Default: true unless CNNLAB_OFFLINE=1. */
  download?: boolean;
  log?: (line: string) => void;
  progress?: (p: ProgressReport) => void;
  signal?: AbortSignal;
}

/**
 * Finds a data set's files ({@linkcode locateDataset}) and, when no local copy exists, downloads
 * them from the canonical URLs and mirrors into the data directory, each file verified before it
 * gets its final name.
 *
 * @returns which rule found the files and where
 * @throws Error listing every place tried, what was missing there and how to get the data.
 */
export async function resolveSource(
  dataset: DatasetName,
  options: ResolveSourceOptions = {},
): Promise<DatasetSource> {
  const env = options.env ?? Deno.env.toObject();
  const catalog = options.catalog ?? DATASET_CATALOG[dataset];
  const log = options.log ?? (() => {});
  const located = await locateDataset(dataset, options);
  if (located.kind !== "download") {
    log(`${dataset}: using ${describeSource(located)}`);
    return located;
  }
  const tried = [...located.tried];
  const dataDir = located.location;
  const download = options.download ?? env.CNNLAB_OFFLINE !== "1";
  if (!download) {
    tried.push(`download into ${dataDir}: disabled (CNNLAB_OFFLINE=1)`);
  } else {
    try {
      await downloadDataset({
        files: catalog.files,
        mirrors: catalog.mirrors,
        dir: dataDir,
        log,
        progress: options.progress,
        signal: options.signal,
      });
      const found = await findDatasetFiles(dataset, dataDir);
      if (found.found) {
        log(`${dataset}: using ${found.location} (downloaded)`);
        return { kind: "download", location: found.location };
      }
      tried.push(`download into ${dataDir}: the downloaded files are incomplete (${found.why})`);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      tried.push(
        `download into ${dataDir}: ${(error as Error).message.replaceAll("\n", "\n     ")}`,
      );
    }
  }
  throw new Error(
    `Cannot find the ${dataset} data set (${catalog.title}). Tried, in order:\n` +
      tried.map((t, i) => `  ${i + 1}. ${t}`).join("\n") +
      `\nHow to get it: ${catalog.howToGet}`,
  );
}
