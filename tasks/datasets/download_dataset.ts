/**
 * Downloads a data set's published files into its data directory, each verified before it gets
 * its final name. A data stage whose planner found no local copy runs this first.
 * @module
 */
import { dirname, join } from "node:path";
import type { KnownFile } from "./dataset_catalog.ts";
import { downloadFile, type ProgressReport } from "./download_file.ts";
import { pathExists } from "./_path_exists.ts";

/** Options of {@linkcode downloadDataset}. */
export interface DownloadDatasetOptions {
  files: readonly KnownFile[];
  /** Base URLs, canonical first; a file's URL is a base followed by its name. */
  mirrors: readonly string[];
  /** The data directory to fill. */
  dir: string;
  log?: (line: string) => void;
  progress?: (p: ProgressReport) => void;
  signal?: AbortSignal;
}

/**
 * Fetches every file of `files` missing from `dir`. Folders it created are removed again (when
 * still empty) if it fails.
 * @throws Error from the failing download (every source tried, nothing kept).
 */
export async function downloadDataset(options: DownloadDatasetOptions): Promise<void> {
  const created = [];
  for (let dir = options.dir; !(await pathExists(dir)); dir = dirname(dir)) created.push(dir);
  try {
    for (const file of options.files) {
      const dest = join(options.dir, file.name);
      if (await pathExists(dest)) continue;
      await downloadFile({
        urls: options.mirrors.map((base) => base + file.name),
        dest,
        known: file,
        log: options.log,
        progress: options.progress,
        signal: options.signal,
      });
    }
  } catch (error) {
    for (const dir of created) await Deno.remove(dir).catch(() => {});
    throw error;
  }
}
