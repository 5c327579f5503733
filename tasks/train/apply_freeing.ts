/**
 * A model's forward pass, in training or inference mode, that frees each intermediate layer output
 * as soon as every layer reading it has run. `model.apply` keeps every layer's output until the
 * whole pass ends (tfjs-layers frees early only inside `predict`), so a training step's peak held
 * every pre-activation, every pre-pooling map and every residual sum at once, although the
 * backward pass keeps only what each gradient saved (its own handles, which stay valid). Same
 * layers, same kernels in the same order: the same values bit for bit.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";

// The parts of a tfjs-layers functional model (4.x) this relies on.
interface SymbolicTensor {
  id: number;
}
interface LayerNode {
  outboundLayer: Layer;
  inputTensors: SymbolicTensor[];
  outputTensors: SymbolicTensor[];
}
interface Layer {
  inboundNodes: LayerNode[];
  stateful?: boolean;
  apply(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): unknown;
  getClassName(): string;
}
interface Functional {
  layers: Layer[];
  inputs: SymbolicTensor[];
  outputs: SymbolicTensor[];
}

interface Step {
  layer: Layer;
  inputs: number[];
  outputs: number[];
}

interface Plan {
  input: number;
  output: number;
  steps: Step[];
  /** How many steps read each symbolic tensor. */
  readers: Map<number, number>;
}

const plans = new WeakMap<object, Plan | null>();

// The layers of `model` in an order where each runs after the layers it reads, or null for a
// graph outside what this supports (several inputs or outputs, a layer used twice, nested models,
// stateful layers): those run through model.apply.
function planOf(model: LayersModel): Plan | null {
  if (plans.has(model)) return plans.get(model)!;
  const m = model as unknown as Functional;
  let plan: Plan | null = null;
  if (m.inputs?.length === 1 && m.outputs?.length === 1 && Array.isArray(m.layers)) {
    const nodes: LayerNode[] = [];
    let ok = true;
    for (const layer of m.layers) {
      if (layer.getClassName() === "InputLayer") continue;
      const own = layer.inboundNodes ?? [];
      if (own.length !== 1 || layer.stateful || "layers" in layer) ok = false;
      else nodes.push(own[0]);
    }
    if (ok) plan = order(nodes, m.inputs[0].id, m.outputs[0].id);
  }
  plans.set(model, plan);
  return plan;
}

function order(nodes: LayerNode[], input: number, output: number): Plan | null {
  const available = new Set([input]);
  const pending = [...nodes];
  const steps: Step[] = [];
  while (pending.length > 0) {
    const i = pending.findIndex((n) => n.inputTensors.every((t) => available.has(t.id)));
    if (i < 0) return null;
    const [node] = pending.splice(i, 1);
    node.outputTensors.forEach((t) => available.add(t.id));
    steps.push({
      layer: node.outboundLayer,
      inputs: node.inputTensors.map((t) => t.id),
      outputs: node.outputTensors.map((t) => t.id),
    });
  }
  if (!available.has(output)) return null;
  const readers = new Map<number, number>();
  for (const s of steps) for (const id of s.inputs) readers.set(id, (readers.get(id) ?? 0) + 1);
  return { input, output, steps, readers };
}

/** `model.apply(x, { training: true })`, freeing intermediate outputs once they are read. */
export function applyTraining(model: LayersModel, x: tf.Tensor): tf.Tensor {
  return applyFreeing(model, x, true);
}

/**
 * `model.apply(x, { training: false })`, freeing intermediate outputs once they are read; a ReLU
 * layer whose input nothing else reads overwrites that input where the backend can (the native
 * one's `reluInPlace`), as PyTorch's `ReLU(inplace=True)` does: without it, inference at the
 * evaluate stage's batch held every conv output and its ReLU at once (VGG-11 at 224², batch
 * 256: two 3.2 GB maps). The same kernel on the same values: the same results bit for bit.
 */
export function applyInference(model: LayersModel, x: tf.Tensor): tf.Tensor {
  return applyFreeing(model, x, false);
}

interface InPlaceReluBackend {
  reluInPlace(dataId: object): boolean;
}

const plainRelus = new WeakMap<Layer, boolean>();

// Layer classes that compute max(x, 0) and nothing else.
function isPlainRelu(layer: Layer): boolean {
  let plain = plainRelus.get(layer);
  if (plain === undefined) {
    const config = (layer as unknown as { getConfig(): Record<string, unknown> }).getConfig();
    plain = layer.getClassName() === "Activation"
      ? config.activation === "relu"
      : layer.getClassName() === "ReLU" && config.maxValue == null;
    plainRelus.set(layer, plain);
  }
  return plain;
}

function reluInPlace(x: tf.Tensor): boolean {
  const backend = tf.backend() as unknown as Partial<InPlaceReluBackend>;
  return typeof backend.reluInPlace === "function" && x.dtype === "float32" &&
    backend.reluInPlace(x.dataId);
}

function applyFreeing(model: LayersModel, x: tf.Tensor, training: boolean): tf.Tensor {
  const plan = planOf(model);
  if (plan === null) return model.apply(x, { training }) as tf.Tensor;
  const values = new Map<number, tf.Tensor>([[plan.input, x]]);
  const left = new Map(plan.readers);
  for (const step of plan.steps) {
    const inputs = step.inputs.map((id) => values.get(id)!);
    const [only] = step.inputs;
    if (
      !training && step.inputs.length === 1 && step.outputs.length === 1 &&
      left.get(only) === 1 && only !== plan.input && only !== plan.output &&
      isPlainRelu(step.layer) && reluInPlace(inputs[0])
    ) {
      // The input's tensor now holds the output; it is not freed as a read input.
      values.delete(only);
      left.delete(only);
      values.set(step.outputs[0], inputs[0]);
      continue;
    }
    // In inference, what a layer makes and does not return is garbage now: tfjs-layers' ReLU with
    // a maxValue (MobileNet's ReLU6) leaves its Relu output behind, which kept one full-size
    // activation per layer until the batch ended. (Training keeps layer calls as tfjs-layers
    // runs them: batch norm's moving averages are made there and outlive the call.)
    const out = training
      ? step.layer.apply(inputs, { training })
      : tf.tidy(() => step.layer.apply(inputs, { training }) as tf.Tensor | tf.Tensor[]);
    const outs = (Array.isArray(out) ? out : [out]) as tf.Tensor[];
    step.outputs.forEach((id, i) => values.set(id, outs[i]));
    for (const id of step.inputs) {
      const n = left.get(id)! - 1;
      left.set(id, n);
      if (n === 0 && id !== plan.input && id !== plan.output) {
        values.get(id)!.dispose();
        values.delete(id);
      }
    }
  }
  return values.get(plan.output)!;
}
