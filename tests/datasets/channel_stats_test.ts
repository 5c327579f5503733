import assert from "node:assert/strict";
import { channelStats, type ImageSet } from "../../tasks/datasets/mod.ts";

Deno.test("channelStats() gives per-channel mean and std on the [0, 1] scale over the chosen images", () => {
  // 3 images of 1×2 pixels, 2 channels; image 1 is left out
  const set: ImageSet = {
    images: Uint8Array.from([0, 255, 255, 255, 9, 9, 9, 9, 255, 0, 255, 255]),
    labels: new Int32Array(3),
    count: 3,
    shape: [1, 2, 2],
  };
  const { mean, std } = channelStats(set, Int32Array.from([0, 2]));
  // channel 0 values: 0, 255, 255, 255 → mean 0.75, std sqrt(0.1875); channel 1: 255, 255, 0, 255
  assert.deepEqual(mean.map((m) => m.toFixed(6)), ["0.750000", "0.750000"]);
  assert.deepEqual(std.map((s) => s.toFixed(6)), [
    Math.sqrt(0.1875).toFixed(6),
    Math.sqrt(0.1875).toFixed(6),
  ]);
});
