/**
 * The reader of Tiny ImageNet 200: `tiny-imagenet-200.zip` or its extracted folder. See
 * dataset_reader.ts.
 * @module
 */
import { join, relative } from "node:path";
import { checkArchive } from "./check_source_file.ts";
import type { ReadDataset, ReadDatasetOptions } from "./dataset_reader.ts";
import { readTinyImageNet } from "./read_tiny_imagenet.ts";

/** The archive itself, or every file of the extracted folder. */
export async function sourceFiles(location: string): Promise<string[]> {
  if ((await Deno.stat(location)).isFile) return [location];
  const paths: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const full = join(dir, entry.name);
      if (entry.isDirectory) walk(full);
      else if (entry.isFile) paths.push(full);
    }
  };
  walk(location);
  return paths.sort((a, b) => relative(location, a) < relative(location, b) ? -1 : 1);
}

/** Decodes Tiny ImageNet at `location`; the archive is checked against the published sums. */
export async function readDataset(
  location: string,
  options: ReadDatasetOptions,
): Promise<ReadDataset> {
  const files = await checkArchive(location, options.known, options.sums);
  const decoded = readTinyImageNet(location, (done, total) => {
    options.progress?.({ done, total, unit: "img", note: "decoding JPEG" });
  });
  return { ...decoded, files };
}
