/**
 * A model's weights as checkpoint records, and back.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { TensorRecord } from "./create_optimizer.ts";

/** The model's weights (trainable or not) as checkpoint records, in `model.weights` order. */
export async function modelWeightRecords(model: LayersModel): Promise<TensorRecord[]> {
  const out: TensorRecord[] = [];
  for (const [i, w] of model.weights.entries()) {
    const values = await w.read().data();
    out.push({
      name: `model/${i}/${w.name}`,
      shape: w.shape.slice() as number[],
      // No copy for float32 (all weights here): big models would double the checkpoint's memory.
      values: values instanceof Float32Array ? values : Float32Array.from(values),
    });
  }
  return out;
}

/** Loads checkpoint records into the model after checking count and shapes. */
export function restoreModelWeights(
  model: LayersModel,
  records: readonly TensorRecord[],
  path: string,
): void {
  const weights = model.weights;
  const fail = (why: string) =>
    new Error(`Cannot resume from ${path}: ${why}; delete it to start the training over`);
  if (records.length !== weights.length) {
    throw fail(`it holds ${records.length} weights, the model has ${weights.length}`);
  }
  const tensors = records.map((r, i) => {
    const want = weights[i].shape.join(",");
    if (r.shape.join(",") !== want) {
      throw fail(
        `weight ${i} (${weights[i].name}) has shape [${r.shape}] there, [${want}] in the model`,
      );
    }
    return tf.tensor(r.values, r.shape, "float32");
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}
