/** `summarizeModel`: per-layer output shapes, parameter counts and mult-adds, torchinfo style. */
import type * as tf from "@tensorflow/tfjs";

/** One layer of a {@link ModelSummary}. */
export interface SummaryRow {
  /** Layer name, e.g. `layer2.block0.conv1`. */
  name: string;
  /** TF.js class name, e.g. `Conv2D`. */
  type: string;
  /** Output shape with the batch size in front. */
  outputShape: number[];
  /** Parameters in PyTorch's sense (weights and biases, BN γ/β; frozen ones included). */
  params: number;
  /** BatchNorm running mean/variance: buffers in PyTorch, not counted as params. */
  buffers: number;
  /** Multiply-accumulates for one batch, counted the way torchinfo counts them. */
  multAdds: number;
}

/** A model summary as data (JSON-serializable) for reports and `summary.json`. */
export interface ModelSummary {
  model: string;
  batchSize: number;
  /** Input shape with the batch size in front. */
  inputShape: number[];
  rows: SummaryRow[];
  /** Σ params; what torchinfo prints as "Total params" and the references quote. */
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Σ buffers (BatchNorm running statistics). */
  buffers: number;
  /** Σ mult-adds for one batch. */
  multAdds: number;
  /** float32 sizes in MB (10^6 bytes), as torchinfo estimates them. */
  inputMB: number;
  forwardBackwardMB: number;
  paramsMB: number;
  totalMB: number;
}

const BUFFER = /(moving_mean|moving_variance)$/;

function shapeOf(layer: tf.layers.Layer, batch: number): number[] {
  const s = layer.outputShape as (number | null)[] | (number | null)[][];
  const first = (Array.isArray(s[0]) ? s[0] : s) as (number | null)[];
  return first.map((d, i) => (i === 0 ? batch : (d ?? 0)));
}

const prod = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

// torchinfo: convolutions count (weight + bias) elements × N × H_out × W_out; every other layer
// with parameters counts N × its parameter elements (linear, batch norm).
function multAddsOf(type: string, params: number, out: number[]): number {
  if (params === 0) return 0;
  if (/Conv/.test(type)) return params * out[0] * prod(out.slice(1, -1));
  return out[0] * params;
}

/**
 * Summarizes `model` for a batch of `batchSize`: one row per layer (input layers skipped) and
 * totals. Parameter counts follow PyTorch: BatchNorm moving statistics are `buffers`, not params.
 */
export function summarizeModel(model: tf.LayersModel, batchSize: number): ModelSummary {
  const rows: SummaryRow[] = [];
  let trainable = 0;
  let frozen = 0;
  let activations = 0;
  for (const layer of model.layers) {
    const type = layer.getClassName();
    if (type === "InputLayer") continue;
    let params = 0;
    let buffers = 0;
    for (const w of layer.weights) {
      const n = prod(w.shape as number[]);
      if (BUFFER.test(w.originalName)) buffers += n;
      else {
        params += n;
        if (w.trainable) trainable += n;
        else frozen += n;
      }
    }
    const outputShape = shapeOf(layer, batchSize);
    if (params > 0) activations += prod(outputShape);
    rows.push({
      name: layer.name,
      type,
      outputShape,
      params,
      buffers,
      multAdds: multAddsOf(type, params, outputShape),
    });
  }
  const input = model.inputs[0].shape.map((d, i) => (i === 0 ? batchSize : (d ?? 0)));
  const totalParams = trainable + frozen;
  const mb = (floats: number) => (floats * 4) / 1e6;
  const inputMB = mb(prod(input));
  // torchinfo: outputs of layers with parameters, stored for the forward and the backward pass.
  const forwardBackwardMB = mb(2 * activations);
  const paramsMB = mb(totalParams);
  return {
    model: model.name,
    batchSize,
    inputShape: input,
    rows,
    totalParams,
    trainableParams: trainable,
    nonTrainableParams: frozen,
    buffers: rows.reduce((a, r) => a + r.buffers, 0),
    multAdds: rows.reduce((a, r) => a + r.multAdds, 0),
    inputMB,
    forwardBackwardMB,
    paramsMB,
    totalMB: inputMB + forwardBackwardMB + paramsMB,
  };
}
