import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareBackends } from "./_compare.ts";
import { nativeKernelNames } from "../../../tasks/backends/native/mod.ts";

Deno.test("resizeBilinear on native equals the cpu backend bit for bit", async () => {
  assert.ok(nativeKernelNames.includes("ResizeBilinear"));
  const cases: [number[], [number, number], boolean, boolean][] = [
    [[3, 28, 28, 1], [224, 224], false, true], // the data pipeline's 28² → 224² (half-pixel)
    [[2, 32, 32, 3], [96, 96], false, true],
    [[2, 7, 5, 4], [13, 3], false, false],
    [[1, 6, 9, 2], [11, 4], true, false],
    [[2, 10, 10, 3], [1, 1], true, false],
    [[4, 64, 64, 3], [32, 48], false, true], // shrinking
  ];
  for (const [i, [shape, size, alignCorners, halfPixel]] of cases.entries()) {
    const err = await compareBackends(
      [{ shape, seed: i + 1 }],
      (x) => tf.image.resizeBilinear(x as tf.Tensor4D, size, alignCorners, halfPixel),
    );
    assert.equal(err, 0, `[${shape}] → ${size} align ${alignCorners} half-pixel ${halfPixel}`);
  }
});
