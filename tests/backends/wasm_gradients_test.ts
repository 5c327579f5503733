import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../../tasks/backends/mod.ts";
import { randomValues, relativeError, seededUniform } from "./_compare_kernels.ts";

type Op = (x: tf.Tensor4D) => tf.Tensor;
const ones = (shape: number[]) => tf.ones(shape) as tf.Tensor as tf.Tensor4D;

/** Every op the model zoo's layers and losses take gradients through. */
const OPS: Record<string, Op> = {
  conv2d: (x) => tf.conv2d(x, tf.fill([3, 3, 4, 5], 0.1) as tf.Tensor4D, 2, "same"),
  fusedConv2d: (x) =>
    tf.fused.conv2d({
      x,
      filter: tf.fill([3, 3, 4, 2], 0.2) as tf.Tensor4D,
      bias: tf.ones([2]),
      activation: "relu",
      pad: "valid",
      strides: 1,
    }),
  depthwiseConv2d: (x) =>
    tf.depthwiseConv2d(x, tf.fill([3, 3, 4, 2], 0.3) as tf.Tensor4D, 1, "same"),
  separableConv2d: (x) =>
    tf.separableConv2d(x, ones([3, 3, 4, 1]), tf.fill([1, 1, 4, 3], 0.5) as tf.Tensor4D, 1, "same"),
  conv2dTranspose: (x) =>
    tf.conv2dTranspose(x, tf.fill([3, 3, 2, 4], 0.1) as tf.Tensor4D, [2, 16, 16, 2], 2, "same"),
  maxPool: (x) => tf.maxPool(x, 3, 2, "same"),
  avgPool: (x) => tf.avgPool(x, 2, 2, "valid"),
  resizeBilinear: (x) => tf.image.resizeBilinear(x, [12, 12]),
  localResponseNormalization: (x) => tf.localResponseNormalization(x, 2, 1, 1e-4, 0.75),
  batchNorm: (x) => {
    const m = tf.moments(x, [0, 1, 2]);
    return tf.batchNorm(x, m.mean, m.variance, tf.zeros([4]), tf.ones([4]), 1e-3);
  },
  relu6: (x) => tf.relu6(x),
  elu: (x) => tf.elu(x),
  leakyRelu: (x) => tf.leakyRelu(x, 0.1),
  prelu: (x) => tf.prelu(x, tf.tensor1d([0.2, 0.2, 0.2, 0.2]) as unknown as tf.Tensor4D),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  softplus: (x) => tf.softplus(x),
  concat: (x) => tf.concat([x, tf.mul(x, 2)], 3),
  pad: (x) => tf.pad(x, [[0, 0], [1, 1], [2, 0], [0, 0]]),
  globalAveragePool: (x) => tf.mean(x, [1, 2]),
  globalMaxPool: (x) => tf.max(x, [1, 2]),
  matMul: (x) => tf.matMul(x.reshape([2, -1]), tf.fill([256, 5], 0.01)),
  fusedMatMul: (x) =>
    tf.fused.matMul({
      a: x.reshape([2, -1]),
      b: tf.fill([256, 5], 0.01),
      bias: tf.ones([5]),
      activation: "relu",
    }),
  softmaxCrossEntropy: (x) =>
    tf.losses.softmaxCrossEntropy(tf.oneHot([1, 3], 256), x.reshape([2, -1])),
  tile: (x) => tf.tile(x, [1, 2, 1, 1]),
  slice: (x) => tf.slice(x, [0, 1, 1, 0], [2, 5, 5, 4]),
  transpose: (x) => tf.transpose(x, [0, 3, 1, 2]),
  square: (x) => tf.square(x),
  sqrt: (x) => tf.sqrt(tf.abs(x).add(1)),
  clipByValue: (x) => tf.clipByValue(x, -0.5, 0.5),
  dropoutMask: (x) => tf.mul(x, tf.step(tf.randomUniform(x.shape, -1, 1, "float32", 3))),
};

/** ∂ sum(op(x) · w) / ∂x on `backend` for a fixed x and random weighting w. */
async function gradient(backend: string, op: Op, xValues: Float32Array, wSeed: number) {
  await useBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xValues, [2, 8, 8, 4]);
    const g = tf.grad((t: tf.Tensor) => {
      const y = op(t as tf.Tensor4D);
      const w = tf.tensor(randomValues(y.size, seededUniform(wSeed)), y.shape);
      return tf.sum(tf.mul(y, w));
    })(x);
    return g.dataSync() as Float32Array;
  });
}

Deno.test("gradients through every model-zoo op run on wasm and match the cpu backend", async () => {
  const x = randomValues(2 * 8 * 8 * 4, seededUniform(5));
  const failures: string[] = [];
  for (const [name, op] of Object.entries(OPS)) {
    try {
      const want = await gradient("cpu", op, x, 17);
      const got = await gradient("wasm", op, x, 17);
      const err = relativeError(got, want);
      if (!(err < 1e-4)) failures.push(`${name}: relative error ${err}`);
    } catch (e) {
      failures.push(`${name}: ${e instanceof Error ? e.message : e}`);
    }
  }
  assert.deepEqual(failures, []);
});

// tfjs-backend-cpu's ResizeNearestNeighborGrad is not the adjoint of its resize (it even gives
// NaN for 8→5), so wasm's is checked against the definition: <dy, R x> = <Rᵀ dy, x>.
Deno.test("wasm ResizeNearestNeighborGrad is the adjoint of the resize", async () => {
  await useBackend("wasm");
  for (const size of [[16, 16], [12, 12], [5, 5]] as [number, number][]) {
    const [lhs, rhs] = tf.tidy(() => {
      const x = tf.tensor4d(randomValues(2 * 8 * 8 * 4, seededUniform(3)), [2, 8, 8, 4]);
      const y = tf.image.resizeNearestNeighbor(x, size);
      const dy = tf.tensor(randomValues(y.size, seededUniform(4)), y.shape);
      const resize = (t: tf.Tensor) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, size);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(resize(t), dy)))(x);
      return [tf.sum(tf.mul(y, dy)).dataSync()[0], tf.sum(tf.mul(g, x)).dataSync()[0]];
    });
    assert.ok(Math.abs(lhs - rhs) <= 1e-4 * Math.abs(lhs), `8→${size}: ${lhs} vs ${rhs}`);
  }
});
