/**
 * Exports seeded zoo models (weights, a fixed input and TF.js logits in inference and training
 * mode) to JSON + float32 .bin files for `parity.py`, which loads them into PyTorch (../shared/peers/torch_peer.py's
 * benchmark models and torchvision's) and compares the outputs. A developer check, not part of
 * `deno test`, since it needs PyTorch and torchvision (Debian: python3-torch, python3-torchvision):
 *
 *     deno run -A tests/models/torch_parity/export_weights.ts /tmp/parity && \
 *       /usr/bin/python3 tests/models/torch_parity/parity.py /tmp/parity
 */
import * as tf from "@tensorflow/tfjs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildModel, parseModelOptions } from "../../../tasks/models/mod.ts";

/** One model to export: zoo options, input `[h, w, c]` and classes. */
interface ParityCase {
  key: string;
  options: Record<string, unknown>;
  input: [number, number, number];
  classes: number;
  /** Also export weight gradients (default true; off where the cpu backend takes minutes). */
  grads?: boolean;
}

/** The benchmark's three models (torch_peer.py) and torchvision's reference layouts. */
export const PARITY_CASES: ParityCase[] = [
  { key: "peer_lenet", options: { name: "lenet" }, input: [28, 28, 1], classes: 10 },
  { key: "peer_vgg", options: { name: "vgg_small" }, input: [28, 28, 1], classes: 10 },
  { key: "peer_resnet18", options: { name: "resnet" }, input: [28, 28, 1], classes: 10 },
  { key: "tv_resnet18", options: { name: "resnet" }, input: [64, 64, 3], classes: 10 },
  {
    key: "tv_resnet50",
    options: { name: "resnet", depth: 50 },
    input: [64, 64, 3],
    classes: 10,
    grads: false,
  },
  {
    key: "tv_alexnet",
    options: { name: "alexnet" },
    input: [224, 224, 3],
    classes: 10,
    grads: false,
  },
  { key: "tv_densenet121", options: { name: "densenet" }, input: [64, 64, 3], classes: 10 },
  { key: "tv_mobilenet_v2", options: { name: "mobilenet_v2" }, input: [64, 64, 3], classes: 10 },
  { key: "zoo_lenet5", options: { name: "lenet5" }, input: [28, 28, 1], classes: 10 },
  { key: "zoo_net", options: { name: "net" }, input: [32, 32, 3], classes: 10 },
  { key: "zoo_alexnet_small", options: { name: "alexnet_small" }, input: [28, 28, 1], classes: 10 },
  {
    key: "zoo_alexnet_d2l",
    options: { name: "alexnet_d2l", lrn: true },
    input: [96, 96, 1],
    classes: 10,
  },
  { key: "zoo_nin", options: { name: "nin" }, input: [96, 96, 1], classes: 10 },
  {
    key: "zoo_googlenet",
    options: { name: "googlenet", lrn: true },
    input: [96, 96, 1],
    classes: 10,
  },
  { key: "zoo_resnet_cifar", options: { name: "resnet_cifar" }, input: [32, 32, 3], classes: 10 },
  { key: "zoo_se_resnet", options: { name: "se_resnet" }, input: [32, 32, 3], classes: 10 },
  {
    key: "zoo_densenet_simple",
    options: { name: "densenet_simple" },
    input: [32, 32, 3],
    classes: 10,
  },
  { key: "zoo_mobilenet_v1", options: { name: "mobilenet_v1" }, input: [64, 64, 3], classes: 10 },
  {
    key: "zoo_mobilenet_v1_lab",
    options: { name: "mobilenet_v1", blocks: 7, upsample: 2, pool: 2 },
    input: [28, 28, 1],
    classes: 10,
  },
  { key: "zoo_cnn", options: { name: "cnn" }, input: [64, 64, 3], classes: 200 },
  {
    key: "zoo_resnet_dropout",
    options: { name: "resnet_dropout" },
    input: [64, 64, 3],
    classes: 200,
  },
];

function build(c: ParityCase, extra: Record<string, unknown> = {}): tf.LayersModel {
  const options = parseModelOptions({ ...c.options, ...extra });
  return buildModel(options, { inputShape: c.input, classes: c.classes, seed: 3 });
}

if (import.meta.main) {
  await tf.setBackend("cpu");
  const dir = Deno.args[0] ?? "/tmp/parity";
  await Deno.mkdir(dir, { recursive: true });
  const only = Deno.args[1];
  for (const c of PARITY_CASES.filter((c) => only === undefined || c.key.startsWith(only))) {
    const model = build(c);
    // Non-trivial running statistics, so inference mode checks they are used as PyTorch does.
    for (const w of model.weights) {
      if (/moving_mean$/.test(w.originalName)) {
        w.write(tf.randomUniform(w.shape as number[], -0.5, 0.5, "float32", 1));
      }
      if (/moving_variance$/.test(w.originalName)) {
        w.write(tf.randomUniform(w.shape as number[], 0.5, 2, "float32", 2));
      }
    }
    const x = tf.randomNormal([4, ...c.input], 0, 1, "float32", 5);
    // Weights first: a training-mode forward pass updates the BN running statistics.
    const weights: { name: string; shape: number[]; offset: number }[] = [];
    const chunks: Float32Array[] = [];
    let offset = 0;
    for (const w of model.weights) {
      const data = w.read().dataSync() as Float32Array;
      weights.push({ name: w.originalName, shape: w.shape as number[], offset });
      chunks.push(data);
      offset += data.length;
    }
    const all = new Float32Array(offset);
    chunks.reduce((at, c) => (all.set(c, at), at + c.length), 0);
    await writeFile(join(dir, `${c.key}.bin`), new Uint8Array(all.buffer));
    const inference = (model.predict(x) as tf.Tensor).arraySync();
    // Same layer names give the same seeded weights; without dropout, since masks differ.
    const parsed = parseModelOptions(c.options) as Record<string, unknown>;
    const off = Object.fromEntries(
      ["fc_dropout", "conv_dropout"].filter((k) => k in parsed).map((k) => [k, 0]),
    );
    const noDropout = build(c, off);
    const byName = new Map(model.weights.map((w) => [w.originalName, w]));
    for (const w of noDropout.weights) w.write(byName.get(w.originalName)!.read());
    const training = (noDropout.apply(x, { training: true }) as tf.Tensor).arraySync();
    // BN running statistics after that one training-mode pass (PyTorch keeps the unbiased variance).
    const running = Object.fromEntries(
      noDropout.weights.filter((w) => /moving_(mean|variance)$/.test(w.originalName))
        .map((w) => [w.originalName, Array.from(w.read().dataSync())]),
    );
    // Gradients of the mean cross-entropy for labels [1, 2, 3, 4], in the same layout as the weights
    // (zeros for BN running statistics, which have none).
    if (c.grads !== false) {
      const labels = tf.oneHot(tf.tensor1d([1, 2, 3, 4], "int32"), c.classes);
      const variables = noDropout.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => {
        const logits = noDropout.apply(x, { training: true }) as tf.Tensor;
        return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
      }, variables);
      const gradOf = new Map(
        noDropout.trainableWeights.map((w, i) => [w.originalName, grads[variables[i].name]]),
      );
      const gradAll = new Float32Array(offset);
      for (const w of weights) {
        const g = gradOf.get(w.name);
        if (g !== undefined) gradAll.set(g.dataSync(), w.offset);
      }
      await writeFile(join(dir, `${c.key}.grad.bin`), new Uint8Array(gradAll.buffer));
    }
    const flatten = model.layers.find((l) => l.getClassName() === "Flatten");
    await writeFile(
      join(dir, `${c.key}.json`),
      JSON.stringify({
        key: c.key,
        classes: c.classes,
        weights,
        x: x.arraySync(),
        inference,
        training,
        running,
        flattenInput: flatten ? (flatten.input as tf.SymbolicTensor).shape : null,
      }),
    );
    console.log(`${c.key}: ${weights.length} weight tensors → ${join(dir, `${c.key}.json`)}`);
    [model, noDropout].forEach((m) => m.dispose());
    x.dispose();
  }
}
