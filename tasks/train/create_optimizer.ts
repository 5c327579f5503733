/**
 * SGD (momentum, Nesterov), Adam and AdamW with PyTorch's update rules, written on tfjs ops so
 * their whole state can be checkpointed and restored exactly.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { fusedAdamUpdate } from "../ops/fused_adam_update.ts";
import { fusedSgdUpdate } from "../ops/fused_sgd_update.ts";
import type { TrainOptions } from "./train_options.ts";

/** A named float32 array, the unit of checkpointed state. */
export interface TensorRecord {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** An optimizer with a learning rate given at each step and a serializable state. */
export interface Optimizer {
  /**
   * Updates `vars` in place from `grads` (same order, same shapes) at learning rate `lr`; a
   * variable whose gradient is null (not connected to the loss) is left alone, as in PyTorch.
   * Does not dispose `grads`.
   */
  step(vars: readonly tf.Variable[], grads: readonly (tf.Tensor | null)[], lr: number): void;
  /** Steps taken so far. */
  readonly iterations: number;
  /** The slot variables (momentum buffers, moments) as plain arrays, for a checkpoint. */
  getState(): Promise<{ iterations: number; slots: TensorRecord[] }>;
  /** Restores what {@link getState} returned; slot names must match. */
  setState(state: { iterations: number; slots: readonly TensorRecord[] }): void;
  /** Frees the slot variables. */
  dispose(): void;
}

/** The subset of `train:` options an optimizer reads. */
export type OptimizerOptions = Pick<
  TrainOptions,
  "optimizer" | "momentum" | "nesterov" | "betas" | "eps" | "weight_decay"
>;

/**
 * Creates the optimizer `options.optimizer` names.
 *
 * Weight decay follows PyTorch: added to the gradient (L2) for sgd and adam, decoupled
 * (w ← w − lr·wd·w before the Adam step) for adamw.
 */
export function createOptimizer(options: OptimizerOptions): Optimizer {
  const { optimizer, momentum, nesterov, weight_decay: wd, eps } = options;
  const [beta1, beta2] = options.betas;
  const slotNames = optimizer === "sgd" ? (momentum > 0 ? ["momentum"] : []) : ["m", "v"];
  // slots[k][i]: slot k of variable i, created on the first step.
  let slots: tf.Variable[][] = slotNames.map(() => []);
  let iterations = 0;

  const ensureSlots = (vars: readonly tf.Variable[]) => {
    for (const list of slots) {
      for (let i = list.length; i < vars.length; i++) {
        const v = vars[i];
        list.push(tf.tidy(() => tf.variable(tf.zerosLike(v), false)));
      }
    }
  };

  const sgdUpdate = (w: tf.Variable, g: tf.Tensor, i: number, lr: number) => {
    const buf = momentum > 0 ? slots[0][i] : null;
    const fused = fusedSgdUpdate(w, g, buf, { lr, momentum, weightDecay: wd, nesterov });
    if (fused !== null) {
      if (buf !== null) buf.assign(fused[1]);
      w.assign(fused[0]);
      return;
    }
    if (wd > 0) g = tf.add(g, tf.mul(w, wd));
    let update = g;
    if (momentum > 0) {
      const buf = slots[0][i];
      const next = tf.add(tf.mul(buf, momentum), g);
      buf.assign(next);
      update = nesterov ? tf.add(g, tf.mul(next, momentum)) : next;
    }
    w.assign(tf.sub(w, tf.mul(update, lr)));
  };

  const adamUpdate = (w: tf.Variable, g: tf.Tensor, i: number, lr: number, t: number) => {
    const [m, v] = [slots[0][i], slots[1][i]];
    // Bias corrections as in PyTorch: step = lr / (1 − β1^t), denominator √(v / (1 − β2^t)) + eps.
    const stepSize = lr / (1 - beta1 ** t);
    const biasCorrection2 = Math.sqrt(1 - beta2 ** t);
    // Where the backend registers CnnlabFusedAdam (native, wasm) one pass replaces ~10
    // element-wise kernels per variable, bit-identically.
    const fused = fusedAdamUpdate(w, g, m, v, {
      beta1,
      beta2,
      eps,
      stepSize,
      biasCorrection2,
      l2: optimizer === "adam" ? wd : 0,
      baseScale: optimizer === "adamw" ? 1 - lr * wd : 1,
    });
    if (fused !== null) {
      const [w1, m1, v1] = fused;
      m.assign(m1);
      v.assign(v1);
      w.assign(w1);
      return;
    }
    let base: tf.Tensor = w;
    if (optimizer === "adamw") {
      if (wd > 0) base = tf.mul(w, 1 - lr * wd);
    } else if (wd > 0) g = tf.add(g, tf.mul(w, wd));
    const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
    const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
    m.assign(m1);
    v.assign(v1);
    const denom = tf.add(tf.div(tf.sqrt(v1), biasCorrection2), eps);
    w.assign(tf.sub(base, tf.mul(tf.div(m1, denom), stepSize)));
  };

  return {
    get iterations() {
      return iterations;
    },
    step(vars, grads, lr) {
      if (vars.length !== grads.length) {
        throw new Error(`Cannot apply ${grads.length} gradients to ${vars.length} variables`);
      }
      ensureSlots(vars);
      iterations++;
      const t = iterations;
      tf.tidy(() => {
        for (let i = 0; i < vars.length; i++) {
          const g = grads[i];
          if (g === null) continue;
          if (optimizer === "sgd") sgdUpdate(vars[i], g, i, lr);
          else adamUpdate(vars[i], g, i, lr, t);
        }
      });
    },
    async getState() {
      const records: TensorRecord[] = [];
      for (const [k, list] of slots.entries()) {
        for (const [i, s] of list.entries()) {
          records.push({
            name: `${slotNames[k]}/${i}`,
            shape: s.shape.slice(),
            values: (await s.data()) as Float32Array,
          });
        }
      }
      return { iterations, slots: records };
    },
    setState(state) {
      for (const list of slots) for (const s of list) s.dispose();
      slots = slotNames.map(() => []);
      for (const r of state.slots) {
        const [name, index] = r.name.split("/");
        const k = slotNames.indexOf(name);
        if (k < 0 || Number(index) !== slots[k].length) {
          throw new Error(
            `Cannot restore ${optimizer} state: unexpected slot '${r.name}' ` +
              `(expected slots ${slotNames.join(", ") || "none"} in order)`,
          );
        }
        slots[k].push(tf.tidy(() => tf.variable(tf.tensor(r.values, r.shape, "float32"), false)));
      }
      iterations = state.iterations;
    },
    dispose() {
      for (const list of slots) for (const s of list) s.dispose();
      slots = slotNames.map(() => []);
    },
  };
}
