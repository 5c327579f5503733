import { join } from "node:path";
import type { DatasetMeta, ImageSet } from "./image_set.ts";
import { DATA_ARTIFACT_FILES as FILES } from "./data_artifact_files.ts";

/**
 * Writes decoded images and labels as flat uint8 files plus `meta.json`, the compact form
 * {@linkcode loadDataArtifact} reads back in well under a second.
 *
 * @throws Error when a label does not fit in a byte (more than 256 classes).
 */
export async function writeDataArtifact(
  dir: string,
  data: { train: ImageSet; test: ImageSet; meta: DatasetMeta },
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const labelBytes = (set: ImageSet) => {
    const out = new Uint8Array(set.count);
    for (let i = 0; i < set.count; i++) {
      if (set.labels[i] < 0 || set.labels[i] > 255) {
        throw new Error(`Cannot store label ${set.labels[i]} at index ${i} in one byte`);
      }
      out[i] = set.labels[i];
    }
    return out;
  };
  await Deno.writeFile(join(dir, FILES.trainImages), data.train.images);
  await Deno.writeFile(join(dir, FILES.trainLabels), labelBytes(data.train));
  await Deno.writeFile(join(dir, FILES.testImages), data.test.images);
  await Deno.writeFile(join(dir, FILES.testLabels), labelBytes(data.test));
  await Deno.writeTextFile(join(dir, FILES.meta), JSON.stringify(data.meta, null, 2) + "\n");
}
