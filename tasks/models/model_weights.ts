/**
 * Weights I/O for checkpoints: `model.json` (TF.js layers-model topology + weights manifest) and
 * `weights.bin`, written with `node:fs`. Weights are matched by their stable names
 * (`layer2.block0.conv1/kernel`), not by position.
 */
import * as tf from "@tensorflow/tfjs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
// Side effects: custom layers must be registered before a saved topology is deserialized.
import "./batch_norm_layer.ts";
import "./channel_pad_layer.ts";
import "./dropout_layer.ts";
import "./lrn_layer.ts";
import "./max_pool_layer.ts";
import "./pad_layer.ts";
import "./upsample_layer.ts";

const MODEL_JSON = "model.json";
const WEIGHTS_BIN = "weights.bin";

/** Writes `dir/model.json` and `dir/weights.bin` (creating `dir`). */
export async function saveModelWeights(model: tf.LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save({
    save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
      const data = artifacts.weightData === undefined
        ? new ArrayBuffer(0)
        : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(join(dir, WEIGHTS_BIN), new Uint8Array(data));
      await writeFile(join(dir, MODEL_JSON), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  });
}

async function readArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  let text: string;
  try {
    text = await readFile(join(dir, MODEL_JSON), "utf8");
  } catch (e) {
    throw new Error(
      `Cannot load model weights from ${dir} as ${MODEL_JSON} is unreadable: ${
        (e as Error).message
      }`,
    );
  }
  const json = JSON.parse(text) as {
    modelTopology: tf.io.ModelArtifacts["modelTopology"];
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const buffers = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) buffers.push(new Uint8Array(await readFile(join(dir, path))));
    specs.push(...group.weights);
  }
  const total = buffers.reduce((a, b) => a + b.byteLength, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const b of buffers) {
    data.set(b, at);
    at += b.byteLength;
  }
  return { modelTopology: json.modelTopology, weightSpecs: specs, weightData: data.buffer };
}

/**
 * Loads weights saved by {@link saveModelWeights} into `model`, matching them by name.
 * @throws Error naming the missing weights or a shape mismatch (checkpoint of another model).
 */
export async function loadModelWeights(model: tf.LayersModel, dir: string): Promise<void> {
  const artifacts = await readArtifacts(dir);
  const named = tf.io.decodeWeights(artifacts.weightData!, artifacts.weightSpecs!);
  try {
    const missing = model.weights.filter((w) => !(w.originalName in named)).map((w) =>
      w.originalName
    );
    if (missing.length > 0) {
      const shown = missing.slice(0, 5).join(", ") + (missing.length > 5 ? ", …" : "");
      throw new Error(
        `Cannot load weights from ${dir} into model '${model.name}' as ${missing.length} of its weights are missing (${shown}): the checkpoint was saved from a different model`,
      );
    }
    for (const w of model.weights) {
      const t = named[w.originalName];
      if (t.shape.join(",") !== w.shape.join(",")) {
        throw new Error(
          `Cannot load weights from ${dir} into model '${model.name}' as '${w.originalName}' has shape [${t.shape}] in the checkpoint and [${w.shape}] in the model`,
        );
      }
    }
    for (const w of model.weights) w.write(named[w.originalName]);
  } finally {
    tf.dispose(Object.values(named));
  }
}

/** Rebuilds the whole model (topology and weights) saved by {@link saveModelWeights}. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const artifacts = await readArtifacts(dir);
  return await tf.loadLayersModel({ load: () => Promise.resolve(artifacts) });
}
