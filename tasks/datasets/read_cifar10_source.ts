/**
 * The reader of CIFAR-10's binary version: `cifar-10-binary.tar.gz` or its extracted folder.
 * See dataset_reader.ts.
 * @module
 */
import { join } from "node:path";
import { checkArchive } from "./check_source_file.ts";
import type { ReadDataset, ReadDatasetOptions } from "./dataset_reader.ts";
import { cifar10BatchDir, readCifar10 } from "./read_cifar10.ts";

/** The archive itself, or the batch files of the extracted folder. */
export async function sourceFiles(location: string): Promise<string[]> {
  if ((await Deno.stat(location)).isFile) return [location];
  const dir = await cifar10BatchDir(location);
  return [...Deno.readDirSync(dir)].filter((e) => e.isFile && e.name.endsWith(".bin"))
    .map((e) => join(dir, e.name)).sort();
}

/** Decodes CIFAR-10 at `location`; the archive is checked against the published sums. */
export async function readDataset(
  location: string,
  options: ReadDatasetOptions,
): Promise<ReadDataset> {
  const files = await checkArchive(location, options.known, options.sums);
  const total = files.length > 0 ? files[0].bytes : 0;
  const decoded = await readCifar10(location, (done) => {
    options.progress?.({ done, total, unit: "B", note: "reading archive" });
  });
  return { ...decoded, files };
}
