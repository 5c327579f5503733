/**
 * Development benchmark of the native backend: training images/s of the lab-000 models (28×28×1,
 * batch 128, PyTorch-rule Adam 1e-3, the same step as tasks/train) on chosen backends, plus an optional
 * per-kernel profile of one step. The shared `deno task bench` is the reference comparison;
 * this script is for finding what dominates while working on the kernels. In `--profile`, a lazy
 * input gradient (see NativeBackend.makeLazyTensorInfo) is charged to the kernel that reads it.
 *
 *     deno run -A tasks/backends/native/bench_native.ts [--models lenet,vgg_small,resnet]
 *       [--backends native,cpu] [--batches 10] [--profile] [--no-fused-adam]
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel, parseModelOptions } from "../../models/mod.ts";
import { fusedAdamUpdate } from "../../ops/fused_adam_update.ts";
import { registerNativeBackend } from "./mod.ts";

/** Options of {@linkcode benchTrainStep}. */
export interface BenchTrainStepOptions {
  /** Model name for `buildModel` (resnet is depth 18). Default "lenet". */
  model?: string;
  /** Images per batch. Default 128. */
  batchSize?: number;
  /** Timed steps after 2 warm-up steps. Default 10. */
  batches?: number;
  /** Return a per-kernel time table of one extra step. Default false. */
  profile?: boolean;
  /** Update with {@linkcode fusedAdamUpdate} where available instead of tfjs ops. Default true. */
  fusedAdam?: boolean;
}

// PyTorch's Adam (lr 1e-3), as tasks/train applies it: fused on native, tfjs ops elsewhere.
function adamStep(
  vars: tf.Variable[],
  grads: tf.NamedTensorMap,
  slots: [tf.Variable, tf.Variable][],
  t: number,
  fused: boolean,
) {
  const [lr, beta1, beta2, eps] = [1e-3, 0.9, 0.999, 1e-8];
  const stepSize = lr / (1 - beta1 ** t), biasCorrection2 = Math.sqrt(1 - beta2 ** t);
  tf.tidy(() => {
    vars.forEach((w, i) => {
      const g = grads[w.name];
      const [m, v] = slots[i];
      const out = fused
        ? fusedAdamUpdate(w, g, m, v, { beta1, beta2, eps, stepSize, biasCorrection2 })
        : null;
      if (out !== null) {
        w.assign(out[0]), m.assign(out[1]), v.assign(out[2]);
        return;
      }
      const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
      const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
      const denom = tf.add(tf.div(tf.sqrt(v1), biasCorrection2), eps);
      m.assign(m1), v.assign(v1);
      w.assign(tf.sub(w, tf.mul(tf.div(m1, denom), stepSize)));
    });
  });
}

/** Images/s of training steps on the current backend, and optionally where one step's time goes. */
export async function benchTrainStep(
  options: BenchTrainStepOptions = {},
): Promise<{ imagesPerSec: number; kernels?: [string, number, number][] }> {
  const { model: name = "lenet", batchSize = 128, batches = 10, profile = false } = options;
  const fused = options.fusedAdam ?? true;
  const model = buildModel(parseModelOptions({ name }), {
    inputShape: [28, 28, 1],
    classes: 10,
    seed: 0,
  });
  const x = tf.randomNormal([batchSize, 28, 28, 1], 0, 1, "float32", 1);
  const labels = tf.oneHot(tf.randomUniformInt([batchSize], 0, 10, 2), 10);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const slots = vars.map((v): [tf.Variable, tf.Variable] => [
    tf.variable(tf.zerosLike(v), false),
    tf.variable(tf.zerosLike(v), false),
  ]);
  let t = 0;
  const step = () => {
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.apply(x, { training: true }) as tf.Tensor;
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    }, vars);
    adamStep(vars, grads, slots, ++t, fused);
    const loss = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  };
  for (let i = 0; i < 2; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < batches; i++) step();
  const imagesPerSec = (batches * batchSize) / ((performance.now() - t0) / 1000);
  let kernels: [string, number, number][] | undefined;
  if (profile) {
    const info = await tf.profile(() => {
      step();
    });
    const byName = new Map<string, [number, number]>();
    for (const k of info.kernels) {
      const ms = typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0;
      const [t, n] = byName.get(k.name) ?? [0, 0];
      byName.set(k.name, [t + ms, n + 1]);
    }
    kernels = [...byName].map(([k, [t, n]]): [string, number, number] => [k, t, n])
      .sort((a, b) => b[1] - a[1]);
  }
  tf.dispose([x, labels]);
  model.dispose();
  tf.dispose(slots.flat());
  return { imagesPerSec, kernels };
}

if (import.meta.main) {
  const arg = (flag: string, fallback: string) => {
    const i = Deno.args.indexOf(flag);
    return i >= 0 ? Deno.args[i + 1] : fallback;
  };
  const registered = await registerNativeBackend();
  if (!registered.ok) console.error(registered.reason);
  else console.log(`oneDNN ${registered.onednn}, ${registered.threads} threads`);
  for (const model of arg("--models", "lenet,vgg_small,resnet").split(",")) {
    for (const backend of arg("--backends", "native").split(",")) {
      await tf.setBackend(backend);
      const r = await benchTrainStep({
        model,
        batches: Number(arg("--batches", "10")),
        profile: Deno.args.includes("--profile"),
        fusedAdam: !Deno.args.includes("--no-fused-adam"),
      });
      console.log(`${model} ${backend}: ${r.imagesPerSec.toFixed(1)} images/s`);
      const total = (r.kernels ?? []).reduce((s, k) => s + k[1], 0);
      for (const [k, ms, n] of (r.kernels ?? []).slice(0, 15)) {
        console.log(
          `  ${k.padEnd(36)} ${ms.toFixed(1).padStart(8)} ms ${
            (100 * ms / total).toFixed(1)
          }% ×${n}`,
        );
      }
    }
  }
}
