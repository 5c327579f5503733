import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { DatasetName } from "./dataset_names.ts";
import type { DatasetSource } from "./image_set.ts";
import { DATASET_CATALOG, type DatasetCatalogEntry } from "./dataset_catalog.ts";
import { findDatasetFiles } from "./find_dataset_files.ts";
import { downloadFile, type ProgressReport } from "./download_file.ts";
import { pathExists } from "./_path_exists.ts";

/** Options of {@linkcode resolveSource}; every default reads the real environment. */
export interface ResolveSourceOptions {
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
  /** Download when no local copy is found. Default: true unless CNNLAB_OFFLINE=1. */
  download?: boolean;
  log?: (line: string) => void;
  progress?: (p: ProgressReport) => void;
  signal?: AbortSignal;
}

/**
 * Finds a data set's files, trying in order: `path` from the config; `$CNNLAB_DATA/<dataset>`;
 * `./data/<dataset>`; known system locations (Debian's package folder, the sibling
 * `../shared/datasets/<dataset>`); and finally a download from the canonical URLs and mirrors
 * into the data directory (`$CNNLAB_DATA/<dataset>`, else `./data/<dataset>`), each file
 * verified before it gets its final name.
 *
 * @returns which rule found the files and where
 * @throws Error listing every place tried, what was missing there and how to get the data.
 */
export async function resolveSource(
  dataset: DatasetName,
  options: ResolveSourceOptions = {},
): Promise<DatasetSource> {
  const env = options.env ?? Deno.env.toObject();
  const cwd = options.cwd ?? Deno.cwd();
  const repoRoot = options.repoRoot ?? resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const catalog = options.catalog ?? DATASET_CATALOG[dataset];
  const log = options.log ?? (() => {});
  if (options.path !== undefined) {
    const place = resolve(cwd, options.path);
    const found = await findDatasetFiles(dataset, place);
    if (found.found) {
      log(`${dataset}: using ${found.location} (config data.path)`);
      return { kind: "path", location: found.location };
    }
    throw new Error(
      `Cannot read ${dataset} from data.path ${place} as it ${found.why}; fix data.path or ` +
        `remove it to use the usual places. How to get the data: ${catalog.howToGet}`,
    );
  }
  const tried: string[] = ["config data.path: not set"];
  const candidates: [DatasetSource["kind"], string | undefined, string][] = [
    [
      "env",
      env.CNNLAB_DATA ? join(resolve(cwd, env.CNNLAB_DATA), dataset) : undefined,
      "$CNNLAB_DATA/" + dataset,
    ],
    ["data-dir", join(cwd, "data", dataset), "./data/" + dataset],
    ...catalog.systemDirs.map((d) =>
      ["system", d, "system location"] as [DatasetSource["kind"], string, string]
    ),
    ["system", resolve(repoRoot, "..", "shared", "datasets", dataset), "sibling shared/datasets"],
  ];
  for (const [kind, place, label] of candidates) {
    if (place === undefined) {
      tried.push(`${label}: CNNLAB_DATA is not set`);
      continue;
    }
    const found = await findDatasetFiles(dataset, place);
    if (found.found) {
      log(`${dataset}: using ${found.location} (${label})`);
      return { kind, location: found.location };
    }
    tried.push(`${label} (${place}): ${found.why}`);
  }
  const dataDir = env.CNNLAB_DATA
    ? join(resolve(cwd, env.CNNLAB_DATA), dataset)
    : join(cwd, "data", dataset);
  const download = options.download ?? env.CNNLAB_OFFLINE !== "1";
  if (!download) {
    tried.push(`download into ${dataDir}: disabled (CNNLAB_OFFLINE=1)`);
  } else {
    // folders the download creates; removed again (when still empty) if it fails
    const created = [];
    for (let dir = dataDir; !(await pathExists(dir)); dir = dirname(dir)) created.push(dir);
    try {
      for (const file of catalog.files) {
        const dest = join(dataDir, file.name);
        if (await pathExists(dest)) continue;
        await downloadFile({
          urls: catalog.mirrors.map((base) => base + file.name),
          dest,
          known: file,
          log,
          progress: options.progress,
          signal: options.signal,
        });
      }
      const found = await findDatasetFiles(dataset, dataDir);
      if (found.found) {
        log(`${dataset}: using ${found.location} (downloaded)`);
        return { kind: "download", location: found.location };
      }
      tried.push(`download into ${dataDir}: the downloaded files are incomplete (${found.why})`);
    } catch (error) {
      for (const dir of created) await Deno.remove(dir).catch(() => {});
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
