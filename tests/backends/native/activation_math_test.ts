import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareBackends, ensureNative, randomArray } from "./_compare.ts";

type Op = (x: tf.Tensor) => tf.Tensor;

async function valuesOn(backend: string, xs: number[], op: Op): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => Float32Array.from(op(tf.tensor1d(xs)).dataSync() as Float32Array));
}

/** Inputs spread over [lo, hi] plus ± powers of ten from 1e-38 to 1e2 (tiny values in between). */
function grid(lo: number, hi: number, n: number): number[] {
  const xs = Array.from({ length: n }, (_, i) => lo + (hi - lo) * i / (n - 1));
  for (let e = -38; e <= 2; e += 0.25) xs.push(10 ** e, -(10 ** e));
  return xs;
}

// Subnormal results (exp near -100) are spaced 1.4e-45 apart, so they get an absolute allowance.
const relTol = 1e-6, absTol = 3e-45;

function worstMismatch(xs: number[], got: Float32Array, want: Float32Array): string | null {
  for (let i = 0; i < xs.length; i++) {
    const [g, w] = [got[i], want[i]];
    if (g === w || (Number.isNaN(g) && Number.isNaN(w))) continue;
    if (Math.abs(g - w) <= relTol * Math.abs(w) + absTol) continue;
    return `x = ${xs[i]}: native ${g}, expected ${w}`;
  }
  return null;
}

const ops: [string, Op, number[]][] = [
  ["exp", tf.exp, grid(-110, 110, 20001)],
  ["sigmoid", tf.sigmoid, grid(-110, 110, 20001)],
  ["tanh", tf.tanh, grid(-20, 20, 20001)],
  // ELU below -1e-6 only: the cpu kernel's exp(x) - 1 loses tiny x (see the next test).
  ["elu", tf.elu, grid(-40, 5, 20001).filter((x) => x >= 0 || x < -1e-6)],
  ["log", tf.log, [...grid(0, 1e4, 20001).filter((x) => x >= 0), 1e-45, 1e-40, 3e38]],
];

Deno.test("exp, sigmoid, tanh, elu and log agree with the cpu backend per element", async () => {
  await ensureNative();
  for (const [name, op, xs] of ops) {
    const native = await valuesOn("native", xs, op);
    const cpu = await valuesOn("cpu", xs, op);
    assert.equal(worstMismatch(xs, native, cpu), null, name);
  }
});

const special = [Infinity, -Infinity, NaN, 0, -0, 100, -100, 1e-30, -1e-30, 88.8, -103.5];

Deno.test("special values give exactly the cpu backend's results", async () => {
  await ensureNative();
  for (const [name, op] of ops) {
    const native = await valuesOn("native", special, op);
    const cpu = await valuesOn("cpu", special, op);
    special.forEach((x, i) => {
      // The cpu ELU computes exp(x) - 1 and returns 0 for x = -1e-30; expm1 is exact there.
      const want = name === "elu" && x === -1e-30 ? Math.fround(Math.expm1(x)) : cpu[i];
      assert.ok(Object.is(native[i], want), `${name}(${x}): native ${native[i]}, expected ${want}`);
    });
  }
  const tiny = [-1e-7, -1e-20, -1e-40];
  const elu = await valuesOn("native", tiny, tf.elu);
  tiny.forEach((x, i) => {
    const want = Math.fround(Math.expm1(x));
    assert.ok(Math.abs(elu[i] - want) <= relTol * Math.abs(want), `elu(${x}) = ${elu[i]}`);
  });
});

// Gradients of a weighted sum of an activation, so every element's dy differs.
const gradOf = (op: Op) => (x: tf.Tensor) =>
  tf.grad((a: tf.Tensor) =>
    tf.sum(tf.mul(op(tf.mul(a, 4)), tf.sin(tf.reshape(tf.range(0, a.size), a.shape))))
  )(x);

Deno.test("sigmoid and tanh gradients match the cpu backend", async () => {
  for (const [name, op] of [["sigmoid", tf.sigmoid], ["tanh", tf.tanh]] as [string, Op][]) {
    for (const shape of [[4, 7, 7, 6], [128, 28, 28, 6]]) {
      const err = await compareBackends([{ shape, seed: 21 }], gradOf(op));
      assert.ok(err < 1e-5, `${name} [${shape}]: relative error ${err}`);
    }
  }
});

Deno.test("the sigmoid and tanh gradients run one kernel on native, rounded like tfjs' ops, and tfjs' ops elsewhere", async () => {
  await ensureNative();
  const cases: [string, Op, string, (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor][] = [
    ["sigmoid", tf.sigmoid, "CnnlabSigmoidGrad", (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y)))],
    ["tanh", tf.tanh, "CnnlabTanhGrad", (dy, y) => tf.mul(tf.sub(1, tf.square(y)), dy)],
  ];
  const x0 = randomArray(5 * 9 * 3, 31), dy0 = randomArray(5 * 9 * 3, 32);
  for (const [name, op, kernel, tfjsFormula] of cases) {
    for (const backend of ["native", "cpu"]) {
      await tf.setBackend(backend);
      const x = tf.tensor(x0, [5, 9, 3]).mul(3), dy = tf.tensor(dy0, [5, 9, 3]);
      const profile = await tf.profile(() => {
        tf.dispose(tf.grad((a: tf.Tensor) => op(a))(x, dy));
      });
      const grad = tf.grad((a: tf.Tensor) => op(a))(x, dy);
      const formula = tfjsFormula(dy, op(x));
      assert.deepEqual(grad.dataSync(), formula.dataSync(), `${name} on ${backend}`);
      if (backend === "native") {
        assert.ok(profile.kernelNames.includes(kernel), `${name}: ${profile.kernelNames}`);
        assert.ok(!profile.kernelNames.includes("Sub"), `${name}: ${profile.kernelNames}`);
      } else {
        assert.ok(!profile.kernelNames.includes(kernel), `${name}: ${profile.kernelNames}`);
      }
      tf.dispose([x, dy, grad, formula]);
    }
  }
});
