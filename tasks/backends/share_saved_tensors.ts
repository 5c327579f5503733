/**
 * Makes tfjs keep the tensors a gradient needs by reference instead of through the Identity
 * kernel.
 *
 * For every kernel it tapes, tfjs 4.x saves the inputs/outputs the gradient will read with
 * `clone()`: a full Identity kernel dispatch plus a tape node each (60 per LeNet step, 611 per
 * ResNet-18 step), and on `wasm` Identity even copies the data. A saved tensor is only read by
 * gradient functions, so a second handle on the same data does the same job. The clone's tape
 * node only matters for higher-order gradients (a gradient of a gradient flows back through
 * it); inside those, tfjs' own path is kept.
 *
 * Some gradients read only the shapes of what they save: Add's and Sub's (to undo a broadcast),
 * Concat's (to split dy), Reshape's and Slice's. tfjs still saves the inputs themselves, which
 * keeps tensors nothing else needs alive until the backward pass reaches them (the bias-added
 * pre-activation of a model's first conv: 392 MiB of a d2l VGG-11 step at 224², batch 128; the
 * BN output of every residual Add). On a backend that can make memory-less stubs (`native`) those
 * kernels save stubs of the same shape instead.
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

// The parts of tfjs-core's Engine (4.x) this relies on; checked at install time.
interface EngineInternals {
  state: {
    gradientDepth: number;
    tensorInfo: WeakMap<object, { backend: tf.KernelBackend }>;
  };
  saveTensorsForBackwardMode(tensors: tf.Tensor[]): tf.Tensor[];
  getTensorsForGradient(
    kernelName: string,
    inputs: tf.NamedTensorMap | tf.Tensor[],
    outputs: tf.Tensor[],
  ): tf.Tensor[];
  makeTensorFromTensorInfo(info: tf.TensorInfo, backend?: tf.KernelBackend): tf.Tensor;
  keep<T extends tf.Tensor>(t: T): T;
}

/** A backend that can make a tensor of a shape without memory (NativeBackend.makeShapeStub). */
interface StubBackend {
  makeShapeStub(shape: number[], kernelName: string): tf.TensorInfo;
}

/** Kernels whose registered tfjs gradient reads only the `shape` (and rank) of its saved tensors. */
export const shapeOnlyGradients: ReadonlySet<string> = new Set([
  "Add",
  "Sub",
  "Concat",
  "Reshape",
  "Slice",
]);

let installed = false;

/**
 * Installs the by-reference saving on tfjs' global engine (idempotent). Returns false, changing
 * nothing, when the engine does not look like tfjs 4's.
 */
export function shareSavedTensors(): boolean {
  if (installed) return true;
  const engine = tf.engine() as unknown as EngineInternals;
  const fits = typeof engine.saveTensorsForBackwardMode === "function" &&
    typeof engine.getTensorsForGradient === "function" &&
    typeof engine.makeTensorFromTensorInfo === "function" &&
    typeof engine.state?.gradientDepth === "number" &&
    typeof engine.state.tensorInfo?.get === "function";
  if (!fits) return false;
  const original = engine.saveTensorsForBackwardMode.bind(engine);
  engine.saveTensorsForBackwardMode = (tensors: tf.Tensor[]) => {
    // Depth 2 or more: a gradient is being taken of code that itself takes gradients.
    if (engine.state.gradientDepth > 1) return original(tensors);
    return tensors.map((t) => {
      const backend = engine.state.tensorInfo.get(t.dataId)?.backend;
      // Not tracked by this engine (never seen so far): tfjs' own path, with its own checks.
      if (backend === undefined) return original([t])[0];
      backend.incRef(t.dataId);
      const info = { dataId: t.dataId, shape: t.shape, dtype: t.dtype } as tf.TensorInfo;
      return engine.keep(engine.makeTensorFromTensorInfo(info, backend));
    });
  };
  const tensorsFor = engine.getTensorsForGradient.bind(engine);
  engine.getTensorsForGradient = (kernelName, inputs, outputs) => {
    const tensors = tensorsFor(kernelName, inputs, outputs);
    if (!shapeOnlyGradients.has(kernelName) || engine.state.gradientDepth > 1) return tensors;
    return tensors.map((t) => {
      const backend = engine.state.tensorInfo.get(t.dataId)?.backend as
        | (tf.KernelBackend & Partial<StubBackend>)
        | undefined;
      if (backend?.makeShapeStub === undefined || t.dtype !== "float32") return t;
      return engine.makeTensorFromTensorInfo(backend.makeShapeStub(t.shape, kernelName), backend);
    });
  };
  installed = true;
  return true;
}
