import assert from "node:assert/strict";
import { useBackend } from "../../tasks/backends/mod.ts";
import { randomValues, relativeError, runKernelOn, seededUniform } from "./_compare_kernels.ts";

const next = seededUniform(11);
const t = (shape: number[]) => ({
  shape,
  values: randomValues(shape.reduce((a, b) => a * b, 1), next),
});

async function same(
  kernel: string,
  inputs: Record<string, ReturnType<typeof t>>,
  attrs: Record<string, unknown>,
) {
  const got = await runKernelOn("wasm", kernel, inputs, attrs);
  const want = await runKernelOn("cpu", kernel, inputs, attrs);
  const label = `${kernel} ${JSON.stringify(attrs)}`;
  assert.deepEqual(got.shape, want.shape, label);
  const err = relativeError(got.values, want.values);
  assert.ok(err < 1e-5, `${label}: relative error ${err}`);
}

Deno.test("wasm Tile gives the cpu backend's values for broadcast-like and general repeats", async () => {
  await useBackend("wasm");
  await same("Tile", { x: t([1, 1, 1, 5]) }, { reps: [3, 4, 2, 1] });
  await same("Tile", { x: t([2, 3, 1, 4]) }, { reps: [2, 1, 3, 2] });
  await same("Tile", { x: t([3]) }, { reps: [4] });
  await same("Tile", { x: t([2, 3]) }, { reps: [1, 1] });
});

Deno.test("wasm BatchMatMul and _FusedMatMul with transposed operands match the cpu backend", async () => {
  await useBackend("wasm");
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    const a = t(ta ? [2, 7, 5] : [2, 5, 7]);
    const b = t(tb ? [2, 3, 7] : [2, 7, 3]);
    await same("BatchMatMul", { a, b }, { transposeA: ta, transposeB: tb });
    // tf.fused.matMul hands the kernel rank-3 operands.
    const a2 = t(ta ? [1, 9, 4] : [1, 4, 9]);
    const b2 = t(tb ? [1, 6, 9] : [1, 9, 6]);
    await same("_FusedMatMul", { a: a2, b: b2, bias: t([6]) }, {
      transposeA: ta,
      transposeB: tb,
      activation: "relu",
    });
  }
});

Deno.test("wasm MaxPoolGrad routes gradients like the cpu backend (overlapping, same and valid windows)", async () => {
  await useBackend("wasm");
  for (
    const [shape, filterSize, strides, pad] of [
      [[2, 8, 8, 3], 2, 2, "valid"],
      [[1, 9, 7, 4], 3, 2, "same"],
      [[3, 7, 7, 2], 3, 1, "same"],
      [[2, 14, 14, 5], 3, 2, 1],
    ] as const
  ) {
    const input = t([...shape]);
    const output = await runKernelOn("cpu", "MaxPool", { x: input }, { filterSize, strides, pad });
    const dy = t(output.shape);
    await same("MaxPoolGrad", { dy, input, output }, { filterSize, strides, pad });
  }
});

Deno.test("wasm Sum over leading axes matches the cpu backend, other axes still work", async () => {
  await useBackend("wasm");
  const x = t([4, 5, 6, 3]);
  await same("Sum", { x }, { axis: [0, 1, 2], keepDims: false });
  await same("Sum", { x }, { axis: [0], keepDims: true });
  await same("Sum", { x }, { axis: [1, 3], keepDims: false });
  await same("Sum", { x }, { axis: [0, 1, 2, 3], keepDims: false });
});
