/**
 * Classifies image files with an exported model, preprocessing them exactly as the evaluate
 * stage did (the same batch code, with the preprocessing.json settings).
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { readPreprocessing } from "../artifacts/preprocessing.ts";
import { batches } from "../datasets/batches.ts";
import type { ImageSet } from "../datasets/image_set.ts";
import { loadModel } from "../models/model_weights.ts";
import { applyInference } from "../train/apply_freeing.ts";
import { decodeImage, imagePixels } from "./decode_image.ts";

/** One class of a prediction. */
export interface ClassScore {
  index: number;
  name: string;
  probability: number;
}

/** The prediction for one image. */
export interface ImagePrediction {
  file: string;
  top: ClassScore[];
}

/** Problems with the input images: one message per bad file. */
export class BadImagesError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "BadImagesError";
  }
}

/**
 * Reads every image (all are checked before any is classified) and returns the `top` most
 * probable classes of each.
 * @throws {BadImagesError} listing every file that is missing, not an image, or of the wrong
 * size or channel count.
 * @throws Error when the model folder lacks its files.
 */
export async function predictImages(
  modelDir: string,
  files: readonly string[],
  options: { top?: number } = {},
): Promise<ImagePrediction[]> {
  const pre = await readPreprocessing(modelDir);
  const [h, w, c] = pre.image_shape;
  const problems: string[] = [];
  const pixels: Uint8Array[] = [];
  for (const file of files) {
    try {
      let bytes: Uint8Array;
      try {
        bytes = await Deno.readFile(file);
      } catch (error) {
        throw new Error(
          `Cannot read ${file} as ${
            error instanceof Deno.errors.NotFound ? "it does not exist" : (error as Error).message
          }`,
        );
      }
      pixels.push(imagePixels(decodeImage(bytes, file), pre.image_shape, file));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new BadImagesError(problems);
  const images = new Uint8Array(files.length * h * w * c);
  pixels.forEach((p, i) => images.set(p, i * h * w * c));
  const set: ImageSet = {
    images,
    labels: new Int32Array(files.length),
    count: files.length,
    shape: [h, w, c],
  };
  const model = await loadModel(modelDir);
  const top = Math.min(options.top ?? 5, pre.class_names.length);
  const results: ImagePrediction[] = [];
  try {
    const stream = batches(set, Int32Array.from(files.keys()), {
      batchSize: 64,
      shuffle: false,
      seed: 0,
      epoch: 0,
      preprocess: pre.preprocess,
      ...(pre.stats ? { stats: pre.stats } : {}),
    });
    for (const batch of stream) {
      const probabilities = tf.tidy(() =>
        tf.softmax(tf.reshape(applyInference(model, batch.x), [
          batch.size,
          -1,
        ]))
      );
      const rows = await probabilities.array() as number[][];
      tf.dispose([probabilities, batch.x, batch.y]);
      for (const row of rows) {
        const order = row.map((p, i) => [p, i] as const).sort((a, b) => b[0] - a[0]).slice(0, top);
        results.push({
          file: files[results.length],
          top: order.map(([probability, index]) => ({
            index,
            name: pre.class_names[index],
            probability,
          })),
        });
      }
    }
  } finally {
    model.dispose();
  }
  return results;
}
