/**
 * What every backend starter does once its backend is registered: keep saved tensors by
 * reference, select the backend and wait until it is ready.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { shareSavedTensors } from "./share_saved_tensors.ts";

/**
 * Selects the registered backend `name` (described by `detail` in messages).
 * @throws Error when tfjs refuses to start it.
 */
export async function selectBackend(name: string, detail: string): Promise<void> {
  shareSavedTensors();
  if (!(await tf.setBackend(name))) {
    throw new Error(
      `Cannot start backend '${name}' (${detail}): tf.setBackend returned false; see the warning above`,
    );
  }
  await tf.ready();
}
