import { join } from "node:path";
import { createHash } from "node:crypto";
import type { DecodedDataset, ImageSet } from "./image_set.ts";
import { gunzipIfNeeded } from "./_gunzip.ts";
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, readIdx } from "./read_idx.ts";
import { pathExists } from "./_path_exists.ts";

/** The four IDX files of MNIST and Fashion-MNIST (paths as found, .gz or not). */
export interface IdxFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

const BASE_NAMES: IdxFiles = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
};

/**
 * Finds the four IDX files in `dir`, each as `<name>.gz` (as published) or uncompressed.
 *
 * @returns their paths, or the names that are missing
 */
export async function findIdxFiles(dir: string): Promise<IdxFiles | { missing: string[] }> {
  const found: Partial<IdxFiles> = {};
  const missing: string[] = [];
  for (const [key, base] of Object.entries(BASE_NAMES) as [keyof IdxFiles, string][]) {
    for (const name of [`${base}.gz`, base]) {
      if (await pathExists(join(dir, name))) {
        found[key] = join(dir, name);
        break;
      }
    }
    if (found[key] === undefined) missing.push(`${base}.gz`);
  }
  return missing.length > 0 ? { missing } : found as IdxFiles;
}

/** A decoded IDX data set and, by path, the size and SHA-256 of each decompressed file. */
export interface IdxDataset extends DecodedDataset {
  content: Record<string, { bytes: number; sha256: string }>;
}

/**
 * Reads MNIST-format data: gunzips each file, checks magic numbers (2051 images, 2049 labels),
 * sizes against the headers, image/label counts and label range.
 *
 * @throws Error naming the file and what is wrong with it.
 */
export async function readIdxDataset(
  files: IdxFiles,
  classNames: string[],
): Promise<IdxDataset> {
  const content: IdxDataset["content"] = {};
  const load = async (path: string, magic: number) => {
    const raw = gunzipIfNeeded(await Deno.readFile(path), path);
    content[path] = { bytes: raw.length, sha256: createHash("sha256").update(raw).digest("hex") };
    return readIdx(raw, magic, path);
  };
  const pair = async (imagesPath: string, labelsPath: string): Promise<ImageSet> => {
    const images = await load(imagesPath, IDX_IMAGES_MAGIC);
    const labels = await load(labelsPath, IDX_LABELS_MAGIC);
    const [count, height, width] = images.dims;
    if (labels.dims[0] !== count) {
      throw new Error(
        `Cannot pair ${imagesPath} (${count} images) with ${labelsPath} (${labels.dims[0]} labels)`,
      );
    }
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const label = labels.data[i];
      if (label >= classNames.length) {
        throw new Error(
          `Cannot read ${labelsPath}: label ${label} at index ${i} is out of range ` +
            `0..${classNames.length - 1}`,
        );
      }
      out[i] = label;
    }
    return { images: images.data, labels: out, count, shape: [height, width, 1] };
  };
  const train = await pair(files.trainImages, files.trainLabels);
  const test = await pair(files.testImages, files.testLabels);
  return { train, test, classNames, content };
}
