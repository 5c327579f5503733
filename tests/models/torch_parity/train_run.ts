/**
 * The TF.js side of the training-parity harness (train_parity.py is the PyTorch side): builds a
 * lab-000 model as the train stage does (buildModel under the run's seeded Math.random), takes
 * the first `steps` batches of the pipeline's own epoch-0 order on real MNIST (the split stage's
 * split and train statistics, `batches()` with shuffle), runs the train stage's step
 * (trainStep, createOptimizer, the per-batch dropout reseed of trainModel) and writes to `dir`:
 *
 * - `run.json`: resolved model options, optimizer settings, the weight layout, every step's loss
 *   and top-1 hits, and which steps have a full weight dump;
 * - `init.bin`: all weights before the first step (float32, the layout's order);
 * - `x.bin` / `y.bin`: the batches (float32 NHWC, int32 labels);
 * - `sample.bin`: after every step, a strided sample of every weight tensor (`sampleIndex` in
 *   run.json), so the weights are compared at every step without 100 MB per AlexNet step;
 * - `w<step>.bin`: all weights after the steps in `fullAt`;
 * - `masks.bin` (with dropout kept): every dropout layer's keep mask of every step (uint8),
 *   regenerated from the same Math.random stream the layer draws from.
 *
 *     deno run -A tests/models/torch_parity/train_run.ts --model vggnet --steps 50 /tmp/tp
 *
 * @module
 */
import "../../../tasks/quiet_tfjs.ts";
import * as tf from "@tensorflow/tfjs";
import { parse as parseYaml } from "yaml";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { batches } from "../../../tasks/datasets/batches.ts";
import { channelStats } from "../../../tasks/datasets/channel_stats.ts";
import { findIdxFiles, readIdxDataset } from "../../../tasks/datasets/read_idx_dataset.ts";
import { splitDataset } from "../../../tasks/datasets/split_dataset.ts";
import { buildModel, familyInputShape, parseModelOptions } from "../../../tasks/models/mod.ts";
import { modelFamily } from "../../../tasks/models/model_families.ts";
import { resolvePreprocess } from "../../../tasks/stages/_resolve_preprocess.ts";
import { trainStep } from "../../../tasks/train/_train_step.ts";
import { Dropout } from "../../../tasks/models/dropout_layer.ts";
import { dropoutAttrs, dropoutMultipliers } from "../../../tasks/ops/dropout.ts";
import { createOptimizer } from "../../../tasks/train/create_optimizer.ts";
import { installSeededMathRandom } from "../../../tasks/train/seeded_math_random.ts";
import { trainOptionsSchema } from "../../../tasks/train/train_options.ts";

const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
/** Lab report 000's experiments (model options and lr) as the configs state them. */
export const LAB000 = join(REPO, "configs/base/lab000-models.yaml");
export const MNIST_DIR = join(REPO, "..", "shared", "datasets", "mnist");

/** One parity run. */
export interface TrainRunOptions {
  /** Experiment key of configs/base/lab000-models.yaml: lenet, alexnet, resnet, vggnet, densenet. */
  experiment: string;
  steps: number;
  /** Default: the experiment's lr. */
  lr?: number;
  backend: "native" | "cpu";
  /** Keep the experiment's dropout (and export its masks); default false: every rate 0. */
  dropout?: boolean;
  /** Run seed (weights, shuffle, dropout); default the config's (0). */
  seed?: number;
  /** Steps after which all weights are written; default 1, 10, 25 and the last. */
  fullAt?: number[];
  /**
   * A control: multiply every initial weight by (1 + perturb·N(0, 1)) (seeded by perturbSeed) to
   * see how far this side drifts from itself. Default 0.
   */
  perturb?: number;
  perturbSeed?: number;
  /** Entries sampled per weight tensor and step. Default 256. */
  samplePerTensor?: number;
  log?: (line: string) => void;
}

const DROPOUT_KEYS = ["fc_dropout", "conv_dropout"];

/** The experiment's model options and train settings, with the config defaults applied. */
async function experiment(key: string) {
  const doc = parseYaml(await Deno.readTextFile(LAB000)) as {
    defaults: { train: Record<string, unknown>; seed: number };
    experiments: Record<
      string,
      { model: Record<string, unknown>; train?: Record<string, unknown> }
    >;
  };
  const e = doc.experiments[key];
  if (e === undefined) {
    throw new Error(
      `${LAB000}: no experiment '${key}' (have ${Object.keys(doc.experiments).join(", ")})`,
    );
  }
  return {
    model: e.model,
    train: trainOptionsSchema.parse({ ...doc.defaults.train, ...e.train }),
    seed: doc.defaults.seed,
  };
}

/** Runs the TF.js side (see the module doc); returns the losses. */
export async function trainRun(dir: string, o: TrainRunOptions): Promise<number[]> {
  const log = o.log ?? (() => {});
  const starter = await import(`../../../tasks/backends/start_${o.backend}.ts`);
  await starter.startBackend();
  const ex = await experiment(o.experiment);
  const seed = o.seed ?? ex.seed;
  const modelInput = { ...ex.model };
  if (!o.dropout) { for (const k of DROPOUT_KEYS) if (k in modelInput) modelInput[k] = 0; }
  const options = parseModelOptions(modelInput);
  const lr = o.lr ?? ex.train.lr;
  const train = { ...ex.train, lr };

  // The data and split stages on MNIST, then the train stage's epoch-0 batch order.
  const files = await findIdxFiles(MNIST_DIR);
  if ("missing" in files) throw new Error(`${MNIST_DIR}: missing ${files.missing.join(", ")}`);
  const data = await readIdxDataset(files, Array.from({ length: 10 }, (_, i) => String(i)));
  const split = splitDataset(data.train.labels, { validation: 0.2, seed: 0 });
  const stats = channelStats(data.train, split.trainIndex);
  // As train_stage.ts: the model's input rule (DenseNet wants larger images) sets the resize.
  const { preprocess, inputShape } = resolvePreprocess(
    familyInputShape(modelFamily(options.name), options, data.train.shape),
    { scale: true, normalize: "train" },
    data.train.shape,
  );

  // As train_stage.ts: Math.random seeded while building.
  const building = installSeededMathRandom(seed, 0xb017d);
  let model: tf.LayersModel;
  try {
    model = buildModel(options, { inputShape, classes: 10, seed });
  } finally {
    building.restore();
  }
  if (o.perturb) {
    for (const [i, w] of model.weights.entries()) {
      const v = w.read();
      w.write(
        tf.tidy(() =>
          tf.mul(
            v,
            tf.add(
              1,
              tf.mul(
                tf.randomNormal(v.shape, 0, 1, "float32", (o.perturbSeed ?? 1) * 1000 + i),
                o.perturb!,
              ),
            ),
          )
        ),
      );
    }
  }
  const layout: { name: string; shape: number[]; offset: number; trainable: boolean }[] = [];
  const trainable = new Set(model.trainableWeights.map((w) => w.originalName));
  let total = 0;
  for (const w of model.weights) {
    const size = w.shape.reduce((a, b) => a! * b!, 1) as number;
    layout.push({
      name: w.originalName,
      shape: w.shape as number[],
      offset: total,
      trainable: trainable.has(w.originalName),
    });
    total += size;
  }
  const perTensor = o.samplePerTensor ?? 256;
  const sampleIndex = layout.map((l) => {
    const size = l.shape.reduce((a, b) => a * b, 1);
    const stride = Math.max(1, Math.ceil(size / perTensor));
    return Array.from({ length: Math.ceil(size / stride) }, (_, i) => i * stride);
  });
  const allWeights = () => {
    const out = new Float32Array(total);
    model.weights.forEach((w, i) => out.set(w.read().dataSync() as Float32Array, layout[i].offset));
    return out;
  };
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(join(dir, "init.bin"), new Uint8Array(allWeights().buffer));

  const fullAt = new Set(o.fullAt ?? [1, 10, 25, o.steps]);
  const dropoutLayers = model.layers.filter((l) => l.getClassName() === Dropout.className)
    .map((l) => ({
      name: l.name,
      rate: (l.getConfig() as { rate: number }).rate,
      shape: [...(l.input as tf.SymbolicTensor).shape.slice(1)] as number[],
    }));
  const optimizer = createOptimizer(train);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  const hits: number[] = [];
  const files_ = {
    x: await Deno.open(join(dir, "x.bin"), { write: true, create: true, truncate: true }),
    y: await Deno.open(join(dir, "y.bin"), { write: true, create: true, truncate: true }),
    sample: await Deno.open(join(dir, "sample.bin"), { write: true, create: true, truncate: true }),
    masks: await Deno.open(join(dir, "masks.bin"), { write: true, create: true, truncate: true }),
  };
  const write = async (f: Deno.FsFile, a: ArrayBufferView) => {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let at = 0; at < bytes.length;) at += await f.write(bytes.subarray(at));
  };
  // As trainModel: Math.random seeded from the run seed, reseeded per (seed, epoch, batch).
  const random = installSeededMathRandom(seed);
  const started = performance.now();
  try {
    let b = 0;
    for (
      const batch of batches(data.train, split.trainIndex, {
        preprocess,
        stats,
        seed,
        batchSize: train.batch_size,
        shuffle: true,
        epoch: 0,
      })
    ) {
      if (b >= o.steps) {
        tf.dispose([batch.x, batch.y]);
        break;
      }
      await write(files_.x, batch.x.dataSync());
      await write(files_.y, batch.y.dataSync());
      if (o.dropout && dropoutLayers.length > 0) {
        // The Dropout layer draws one Math.random per call (its mask's seed), layers in forward
        // order; its mask is dropoutMultipliers' (non-zero = kept): the same draws, replayed.
        random.reseed(seed, 0, b);
        for (const d of dropoutLayers) {
          const size = batch.size * d.shape.reduce((a, c) => a * c, 1);
          const attrs = dropoutAttrs(d.rate, Math.floor(Math.random() * 2 ** 32));
          const keep = dropoutMultipliers(size, attrs).map((m) => (m !== 0 ? 1 : 0));
          await write(files_.masks, Uint8Array.from(keep));
        }
      }
      random.reseed(seed, 0, b);
      const [loss, right] = await trainStep(batch, {
        model,
        vars,
        optimizer,
        lr,
        fromLogits: true,
        labelSmoothing: train.label_smoothing,
        clipNorm: train.clip_norm,
      });
      tf.dispose([batch.x, batch.y]);
      losses.push(loss);
      hits.push(right);
      b++;
      const sample = new Float32Array(sampleIndex.reduce((s, ix) => s + ix.length, 0));
      let at = 0;
      model.weights.forEach((w, i) => {
        const values = w.read().dataSync() as Float32Array;
        for (const k of sampleIndex[i]) sample[at++] = values[k];
      });
      await write(files_.sample, sample);
      if (fullAt.has(b)) {
        await Deno.writeFile(join(dir, `w${b}.bin`), new Uint8Array(allWeights().buffer));
      }
      if (b % 25 === 0 || b === 1) {
        log(`${o.experiment} step ${b}: loss ${loss.toFixed(4)}, ${right}/${batch.size} right`);
      }
    }
  } finally {
    random.restore();
    optimizer.dispose();
    for (const f of Object.values(files_)) f.close();
  }
  const flatten = model.layers.find((l) => l.getClassName() === "Flatten");
  await Deno.writeTextFile(
    join(dir, "run.json"),
    JSON.stringify({
      experiment: o.experiment,
      backend: o.backend,
      seed,
      options,
      inputShape,
      classes: 10,
      batchSize: train.batch_size,
      optimizer: { name: train.optimizer, lr, betas: train.betas, eps: train.eps },
      weights: layout,
      sampleIndex,
      fullAt: [...fullAt].filter((s) => s <= losses.length).sort((a, b) => a - b),
      flattenInput: flatten ? (flatten.input as tf.SymbolicTensor).shape : null,
      dropout: o.dropout ? dropoutLayers : [],
      losses,
      hits,
      seconds: (performance.now() - started) / 1000,
    }),
  );
  model.dispose();
  return losses;
}

if (import.meta.main) {
  const args = [...Deno.args];
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    if (i < 0) return undefined;
    const [, value] = args.splice(i, 2);
    return value;
  };
  const bool = (name: string) => {
    const i = args.indexOf(`--${name}`);
    if (i >= 0) args.splice(i, 1);
    return i >= 0;
  };
  const experimentKey = flag("model") ?? "lenet";
  const steps = Number(flag("steps") ?? 50);
  const lr = flag("lr");
  const seed = flag("seed");
  const backend = (flag("backend") ?? "native") as "native" | "cpu";
  const fullAt = flag("full-at");
  const dropout = bool("dropout");
  const perturb = flag("perturb");
  const perturbSeed = flag("perturb-seed");
  const dir = args[0] ?? "/tmp/train_parity";
  await trainRun(dir, {
    experiment: experimentKey,
    steps,
    lr: lr === undefined ? undefined : Number(lr),
    seed: seed === undefined ? undefined : Number(seed),
    backend,
    dropout,
    perturb: perturb === undefined ? undefined : Number(perturb),
    perturbSeed: perturbSeed === undefined ? undefined : Number(perturbSeed),
    fullAt: fullAt === undefined ? undefined : fullAt.split(",").filter(Boolean).map(Number),
    log: console.log,
  });
}
