import { join } from "node:path";
import type { DatasetName } from "./dataset_names.ts";
import { findIdxFiles } from "./read_idx_dataset.ts";
import { pathExists } from "./_path_exists.ts";

/** The result of looking for a data set at one place: what to read, or why nothing. */
export type FoundFiles = { found: true; location: string } | { found: false; why: string };

/**
 * Looks for a data set's published files at `place` (a folder, or the archive itself).
 * MNIST/Fashion-MNIST: the four IDX files (.gz or not). CIFAR-10: `cifar-10-binary.tar.gz`,
 * or the extracted `cifar-10-batches-bin/` (or the folder itself). Tiny ImageNet:
 * `tiny-imagenet-200.zip`, or the extracted `tiny-imagenet-200/` (or the folder itself).
 * Archives win over extracted folders because their published checksums can be verified.
 */
export async function findDatasetFiles(dataset: DatasetName, place: string): Promise<FoundFiles> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(place);
  } catch {
    return { found: false, why: "does not exist" };
  }
  const archive = dataset === "cifar10" ? "cifar-10-binary.tar.gz" : "tiny-imagenet-200.zip";
  if (info.isFile) {
    if (dataset === "mnist" || dataset === "fashion-mnist") {
      return { found: false, why: "is a file; give the folder holding the four IDX files" };
    }
    return { found: true, location: place };
  }
  if (dataset === "mnist" || dataset === "fashion-mnist") {
    const files = await findIdxFiles(place);
    return "missing" in files
      ? { found: false, why: `lacks ${files.missing.join(", ")}` }
      : { found: true, location: place };
  }
  const [marker, folder] = dataset === "cifar10"
    ? ["test_batch.bin", "cifar-10-batches-bin"]
    : ["wnids.txt", "tiny-imagenet-200"];
  for (const candidate of [join(place, archive), place, join(place, folder)]) {
    if (
      candidate.endsWith(archive)
        ? await pathExists(candidate)
        : await pathExists(join(candidate, marker))
    ) {
      return { found: true, location: candidate };
    }
  }
  return { found: false, why: `has neither ${archive} nor ${folder}/` };
}
