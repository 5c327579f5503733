import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { loadModel, loadModelWeights, saveModelWeights } from "../../tasks/models/mod.ts";
import { batch, build } from "./_helpers.ts";

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

Deno.test("buildModel() gives identical weights for the same seed and different ones for another", () => {
  const a = build({ name: "resnet", width: 4 }, [16, 16, 1], 10, 7);
  const b = build({ name: "resnet", width: 4 }, [16, 16, 1], 10, 7);
  const c = build({ name: "resnet", width: 4 }, [16, 16, 1], 10, 8);
  assert.deepEqual(weightsOf(a), weightsOf(b));
  assert.notDeepEqual(weightsOf(a)[0], weightsOf(c)[0]);
  [a, b, c].forEach((m) => m.dispose());
});

Deno.test("saveModelWeights() then loadModelWeights() restores identical predictions", async () => {
  const dir = await Deno.makeTempDir();
  const { x } = batch(4, [16, 16, 1], 10);
  const source = build({ name: "resnet", width: 4 }, [16, 16, 1], 10, 1);
  // Move BN running statistics away from their initial values so buffers are checked too.
  tf.tidy(() => {
    source.apply(x, { training: true });
  });
  const expected = (source.predict(x) as tf.Tensor).dataSync();
  await saveModelWeights(source, dir);
  const target = build({ name: "resnet", width: 4 }, [16, 16, 1], 10, 2);
  assert.notDeepEqual((target.predict(x) as tf.Tensor).dataSync(), expected);
  await loadModelWeights(target, dir);
  assert.deepEqual((target.predict(x) as tf.Tensor).dataSync(), expected);
  const whole = await loadModel(dir);
  assert.deepEqual((whole.predict(x) as tf.Tensor).dataSync(), expected);
  [source, target, whole].forEach((m) => m.dispose());
  x.dispose();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadModelWeights() refuses a checkpoint of another model and names the weights", async () => {
  const dir = await Deno.makeTempDir();
  const lenet = build({ name: "lenet" }, [28, 28, 1]);
  await saveModelWeights(lenet, dir);
  const wider = build({ name: "lenet", channels: [8, 16] }, [28, 28, 1]);
  await assert.rejects(() => loadModelWeights(wider, dir), {
    message:
      `Cannot load weights from ${dir} into model 'lenet' as 'features.conv1/kernel' has shape [5,5,1,6] in the checkpoint and [5,5,1,8] in the model`,
  });
  const resnet = build({ name: "resnet", width: 4 }, [16, 16, 1]);
  await assert.rejects(() => loadModelWeights(resnet, dir), {
    message:
      `Cannot load weights from ${dir} into model 'resnet' as 102 of its weights are missing (stem.conv/kernel, stem.bn/gamma, stem.bn/beta, layer1.block0.conv1/kernel, layer1.block0.bn1/gamma, …): the checkpoint was saved from a different model`,
  });
  [lenet, wider, resnet].forEach((m) => m.dispose());
  await Deno.remove(dir, { recursive: true });
});
