/**
 * Child process of the resume test: trains the tiny model with a checkpoint file and writes the
 * final history and weights as JSON. With PAUSE_AT="epoch:batch" it prints "paused" after that
 * batch and blocks, so the parent can SIGKILL it in the middle of an epoch. CHECKPOINT_SECONDS
 * sets how often it also checkpoints inside an epoch (default: only at epoch ends).
 *
 * Usage: deno run -A _resume_child.ts <checkpoint> <result.json>
 */
import { trainModel } from "../../tasks/train/train_model.ts";
import { trainOptionsSchema } from "../../tasks/train/train_options.ts";
import { syntheticData, tinyModel, useCpu } from "./_fixtures.ts";

const [checkpointPath, resultPath] = Deno.args;
const pauseAt = Deno.env.get("PAUSE_AT");
await useCpu();
const model = tinyModel();
const train = trainOptionsSchema.parse({
  optimizer: "sgd",
  momentum: 0.9,
  nesterov: true,
  lr: 0.02,
  epochs: 4,
  batch_size: 16,
  schedule: { type: "plateau", monitor: "val_top1", mode: "max", patience: 0, factor: 0.5 },
});
const result = await trainModel(model, syntheticData(), {
  train,
  seed: 3,
  checkpointPath,
  checkpointSeconds: Number(Deno.env.get("CHECKPOINT_SECONDS") ?? Infinity),
  progress: (p) => {
    const at = `${Math.floor((p.done - 1) / 6) + 1}:${(p.done - 1) % 6 + 1}`;
    if (at === pauseAt) {
      console.log("paused");
      // Block the whole isolate so the kill lands mid-epoch, with batches already applied.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
  },
});
const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
const history = result.history.map(({ seconds: _s, images_per_sec: _r, ...rest }) => rest);
await Deno.writeTextFile(
  resultPath,
  JSON.stringify({ history, weights, resumed: result.resumed_from_epoch, status: result.status }),
);
