import { join } from "node:path";
import type { DatasetMeta, ImageSet } from "./image_set.ts";
import { DATA_ARTIFACT_FILES as FILES } from "./data_artifact_files.ts";

/**
 * Reads the data stage's output: `meta.json` and the four flat uint8 files.
 *
 * @param dir the data stage's output folder (`ctx.inputs.data`)
 * @throws Error when a file is missing or its size disagrees with `meta.json`.
 */
export async function loadDataArtifact(
  dir: string,
): Promise<{ meta: DatasetMeta; train: ImageSet; test: ImageSet }> {
  const meta = JSON.parse(await Deno.readTextFile(join(dir, FILES.meta))) as DatasetMeta;
  const [h, w, c] = meta.shape;
  const read = async (imagesName: string, labelsName: string, count: number): Promise<ImageSet> => {
    const [images, labelBytes] = await Promise.all([
      Deno.readFile(join(dir, imagesName)),
      Deno.readFile(join(dir, labelsName)),
    ]);
    if (images.length !== count * h * w * c || labelBytes.length !== count) {
      throw new Error(
        `Cannot load the data artifact in ${dir}: meta.json promises ${count} images of ` +
          `${h}×${w}×${c}, but ${imagesName} has ${images.length} bytes and ${labelsName} ` +
          `${labelBytes.length}; the artifact is damaged, delete it to rebuild`,
      );
    }
    return { images, labels: Int32Array.from(labelBytes), count, shape: [h, w, c] };
  };
  const train = await read(FILES.trainImages, FILES.trainLabels, meta.counts.train);
  const test = await read(FILES.testImages, FILES.testLabels, meta.counts.test);
  return { meta, train, test };
}
