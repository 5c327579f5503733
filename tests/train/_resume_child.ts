/**
 * Child process of the resume tests: trains the tiny model with a checkpoint file and writes the
 * final history and weights as JSON. Log lines go to stderr.
 *
 * Env:
 * - PAUSE_AT="epoch:batch": print "paused" after that batch and block (the parent SIGKILLs it).
 * - ANNOUNCE_AT="epoch:batch": print "at epoch:batch" after that batch and go on.
 * - STOP_ON_SIGINT=1: Ctrl-C (SIGINT) aborts the training, as the pipeline does; the process
 *   then prints "stopped after <ms> ms" (time from the signal) and exits with code 130.
 * - CHECKPOINT_SECONDS: also checkpoint inside an epoch this often (default: only at epoch ends).
 * - TRAIN_COUNT: training images (default 96, i.e. 6 batches of 16 per epoch).
 *
 * Usage: deno run -A _resume_child.ts <checkpoint> <result.json>
 */
import { trainModel } from "../../tasks/train/train_model.ts";
import { trainOptionsSchema } from "../../tasks/train/train_options.ts";
import { syntheticData, tinyModel, useCpu } from "./_fixtures.ts";

const [checkpointPath, resultPath] = Deno.args;
const pauseAt = Deno.env.get("PAUSE_AT");
const announceAt = Deno.env.get("ANNOUNCE_AT");
const trainCount = Number(Deno.env.get("TRAIN_COUNT") ?? 96);
const batchesPerEpoch = Math.ceil(trainCount / 16);
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
const controller = new AbortController();
let signalled = 0;
if (Deno.env.get("STOP_ON_SIGINT")) {
  Deno.addSignalListener("SIGINT", () => {
    signalled = performance.now();
    controller.abort();
  });
}
const encoder = new TextEncoder();
try {
  const result = await trainModel(model, syntheticData({ trainCount }), {
    train,
    seed: 3,
    checkpointPath,
    checkpointSeconds: Number(Deno.env.get("CHECKPOINT_SECONDS") ?? Infinity),
    log: (line) => Deno.stderr.writeSync(encoder.encode(line + "\n")),
    signal: controller.signal,
    progress: (p) => {
      const at = `${Math.floor((p.done - 1) / batchesPerEpoch) + 1}:${
        (p.done - 1) % batchesPerEpoch + 1
      }`;
      if (at === announceAt) Deno.stdout.writeSync(encoder.encode(`at ${at}\n`));
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
} catch (error) {
  if (!controller.signal.aborted) throw error;
  console.log(`stopped after ${Math.round(performance.now() - signalled)} ms`);
  Deno.exit(130);
}
