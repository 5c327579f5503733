import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DatasetName } from "./dataset_names.ts";
import type { DatasetSource } from "./image_set.ts";
import { DATASET_CATALOG, type DatasetCatalogEntry } from "./dataset_catalog.ts";
import { findDatasetFiles } from "./find_dataset_files.ts";

/** Options of {@linkcode locateDataset}; every default reads the real environment. */
export interface LocateDatasetOptions {
  /** `data.path` from the config: when set, the only place looked at. Relative to `cwd`. */
  path?: string;
  /** Environment: `CNNLAB_DATA` (data directory), `CNNLAB_OFFLINE=1` (no download). Default: Deno.env. */
  env?: Record<string, string | undefined>;
  /** Folder `./data/<dataset>` is relative to. Default: Deno.cwd(). */
  cwd?: string;
  /** The repository root; `../shared/datasets/<dataset>` beside it is a known location. Default: from this module. */
  repoRoot?: string;
  /** Where the files come from and how they are checked. Default: DATASET_CATALOG[dataset]. */
  catalog?: DatasetCatalogEntry;
}

/** Where a data set will come from: a local copy, or a download into `location`. */
export type LocatedDataset =
  | { kind: Exclude<DatasetSource["kind"], "download">; location: string }
  | {
    kind: "download";
    /** The data directory the files will be downloaded into. */
    location: string;
    /** Every place tried before, and why it did not hold the files (for error messages). */
    tried: string[];
  };

/**
 * Finds a data set's files without downloading, trying in order: `path` from the config;
 * `$CNNLAB_DATA/<dataset>`; `./data/<dataset>`; known system locations (Debian's package folder,
 * the sibling `../shared/datasets/<dataset>`). When none holds them the result is the download
 * that would fetch them into the data directory (`$CNNLAB_DATA/<dataset>`, else `./data/<dataset>`).
 *
 * @throws Error when `path` is set but does not hold the files, with how to get the data.
 */
export async function locateDataset(
  dataset: DatasetName,
  options: LocateDatasetOptions = {},
): Promise<LocatedDataset> {
  const env = options.env ?? Deno.env.toObject();
  const cwd = options.cwd ?? Deno.cwd();
  const repoRoot = options.repoRoot ?? resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const catalog = options.catalog ?? DATASET_CATALOG[dataset];
  if (options.path !== undefined) {
    const place = resolve(cwd, options.path);
    const found = await findDatasetFiles(dataset, place);
    if (found.found) return { kind: "path", location: found.location };
    throw new Error(
      `Cannot read ${dataset} from data.path ${place} as it ${found.why}; fix data.path or ` +
        `remove it to use the usual places. How to get the data: ${catalog.howToGet}`,
    );
  }
  const tried: string[] = ["config data.path: not set"];
  const dataDirEnv = env.CNNLAB_DATA ? join(resolve(cwd, env.CNNLAB_DATA), dataset) : undefined;
  type Local = Exclude<DatasetSource["kind"], "download">;
  const candidates: [Local, string | undefined, string][] = [
    ["env", dataDirEnv, "$CNNLAB_DATA/" + dataset],
    ["data-dir", join(cwd, "data", dataset), "./data/" + dataset],
    ...catalog.systemDirs.map((d) => ["system", d, "system location"] as [Local, string, string]),
    ["system", resolve(repoRoot, "..", "shared", "datasets", dataset), "sibling shared/datasets"],
  ];
  for (const [kind, place, label] of candidates) {
    if (place === undefined) {
      tried.push(`${label}: CNNLAB_DATA is not set`);
      continue;
    }
    const found = await findDatasetFiles(dataset, place);
    if (found.found) return { kind, location: found.location };
    tried.push(`${label} (${place}): ${found.why}`);
  }
  return { kind: "download", location: dataDirEnv ?? join(cwd, "data", dataset), tried };
}

/** Words for where a located source is, for logs: `the sibling shared/datasets (path)`. */
export function describeSource(source: LocatedDataset): string {
  const label = {
    path: "config data.path",
    env: "$CNNLAB_DATA",
    "data-dir": "./data",
    system: "system location",
    download: "download",
  }[source.kind];
  return `${source.location} (${label})`;
}
