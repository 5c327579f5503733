/**
 * Parameter counts against published references (torchvision / torchinfo figures, PyTorch's
 * convention: BatchNorm running statistics are buffers, not params) and the lab reports.
 */
import assert from "node:assert/strict";
import { summarizeModel } from "../../tasks/models/mod.ts";
import { build, trainableCount } from "./_helpers.ts";

function count(options: Record<string, unknown>, shape: [number, number, number], classes: number) {
  const model = build(options, shape, classes);
  try {
    const summary = summarizeModel(model, 1);
    // The summary's headline and TF.js's own trainable count must agree.
    assert.equal(summary.totalParams, trainableCount(model));
    return summary.totalParams;
  } finally {
    model.dispose();
  }
}

Deno.test("lenet has lab report 000's 61,750 params at 28×28×1", () => {
  assert.equal(count({ name: "lenet" }, [28, 28, 1], 10), 61_750);
});

Deno.test("lenet5 (no batch norm) has 61,706 params at 28×28×1", () => {
  assert.equal(count({ name: "lenet5" }, [28, 28, 1], 10), 61_706);
});

Deno.test("net (lab report 001) has 62,006 params at 32×32×3", () => {
  assert.equal(count({ name: "net" }, [32, 32, 3], 10), 62_006);
});

Deno.test("vgg_small has lab report 000's 3,738,570 params at 28×28×1", () => {
  assert.equal(count({ name: "vgg_small" }, [28, 28, 1], 10), 3_738_570);
});

Deno.test("vgg depth 16 has torchvision's 138,357,544 params at 224×224×3, 1000 classes", () => {
  assert.equal(count({ name: "vgg", depth: 16 }, [224, 224, 3], 1000), 138_357_544);
});

Deno.test("resnet depth 18 has torchvision's 11,689,512 params at 224×224×3, 1000 classes", () => {
  assert.equal(count({ name: "resnet", depth: 18 }, [224, 224, 3], 1000), 11_689_512);
});

Deno.test("resnet depth 50 has torchvision's 25,557,032 params at 224×224×3, 1000 classes", () => {
  assert.equal(count({ name: "resnet", depth: 50 }, [224, 224, 3], 1000), 25_557_032);
});

Deno.test("resnet (the benchmark's ResNet-18) has 11,175,370 params at 28×28×1", () => {
  // 11,689,512 − 7×7 stem on 3 channels (9,408) + on 1 (3,136) − FC 513,000 + 5,130.
  assert.equal(count({ name: "resnet" }, [28, 28, 1], 10), 11_175_370);
});

Deno.test("alexnet (torchvision layout) has 61,100,840 params at 224×224×3, 1000 classes", () => {
  assert.equal(count({ name: "alexnet" }, [224, 224, 3], 1000), 61_100_840);
});

Deno.test("alexnet_d2l has lab report 004's 46,764,746 params at 224×224×1", () => {
  assert.equal(count({ name: "alexnet_d2l" }, [224, 224, 1], 10), 46_764_746);
});

Deno.test("alexnet_small has lab report 000's 24,744,650 params at 28×28×1", () => {
  assert.equal(count({ name: "alexnet_small" }, [28, 28, 1], 10), 24_744_650);
});

Deno.test("nin (d2l) has 1,992,166 params at 224×224×1, 10 classes", () => {
  assert.equal(count({ name: "nin" }, [224, 224, 1], 10), 1_992_166);
});

Deno.test("googlenet (d2l) has 5,977,530 params at 96×96×1, 10 classes", () => {
  assert.equal(count({ name: "googlenet" }, [96, 96, 1], 10), 5_977_530);
});

Deno.test("resnet_cifar depth 20 has 269,722 params with option A shortcuts, 272,474 with B", () => {
  assert.equal(count({ name: "resnet_cifar", depth: 20 }, [32, 32, 3], 10), 269_722);
  assert.equal(count({ name: "resnet_cifar", depth: 20, shortcut: "B" }, [32, 32, 3], 10), 272_474);
});

Deno.test("resnet_cifar depth 56 has 853,018 params with option A shortcuts, 855,770 with B", () => {
  assert.equal(count({ name: "resnet_cifar", depth: 56 }, [32, 32, 3], 10), 853_018);
  assert.equal(count({ name: "resnet_cifar", depth: 56, shortcut: "B" }, [32, 32, 3], 10), 855_770);
});

Deno.test("lab report 001's ResNet (depth 14, option B) has 175,258 params and its SE-ResNet 1,582 more", () => {
  assert.equal(count({ name: "resnet_cifar", depth: 14, shortcut: "B" }, [32, 32, 3], 10), 175_258);
  // Per block: Linear(C, C/16) + Linear(C/16, C) with biases, two blocks per width 16, 32, 64.
  assert.equal(count({ name: "se_resnet" }, [32, 32, 3], 10), 175_258 + 1_582);
});

Deno.test("resnet_cifar rejects a depth that is not 6n + 2", () => {
  assert.throws(() => count({ name: "resnet_cifar", depth: 21 }, [32, 32, 3], 10), {
    message:
      "Invalid model options at 'depth': depth must be 6n + 2 (e.g. 20, 32, 44, 56, 110): current value is 21",
  });
});

Deno.test("densenet depth 121 has torchvision's 7,978,856 params at 224×224×3, 1000 classes", () => {
  assert.equal(count({ name: "densenet" }, [224, 224, 3], 1000), 7_978_856);
});

Deno.test("densenet_simple (lab report 001) has 130,602 params at 32×32×3", () => {
  assert.equal(count({ name: "densenet_simple" }, [32, 32, 3], 10), 130_602);
});

Deno.test("mobilenet_v1 has Keras's 4,231,976 trainable params at 224×224×3, 1000 classes", () => {
  assert.equal(count({ name: "mobilenet_v1" }, [224, 224, 3], 1000), 4_231_976);
});

Deno.test("mobilenet_v1 in lab report 000's form has its 557,834 params at 28×28×1", () => {
  const options = { name: "mobilenet_v1", blocks: 7, upsample: 8, pool: 7 };
  assert.equal(count(options, [28, 28, 1], 10), 557_834);
});

Deno.test("mobilenet_v2 has torchvision's 3,504,872 params at 224×224×3, 1000 classes", () => {
  assert.equal(count({ name: "mobilenet_v2" }, [224, 224, 3], 1000), 3_504_872);
});

Deno.test("resnet_dropout (lab report 002, 11 layers) has 2,845,064 params at 64×64×3, 200 classes", () => {
  assert.equal(count({ name: "resnet_dropout" }, [64, 64, 3], 200), 2_845_064);
});

Deno.test("cnn (lab report 002, 8 layers) has 4,837,960 params at 64×64×3, 200 classes", () => {
  assert.equal(count({ name: "cnn" }, [64, 64, 3], 200), 4_837_960);
});
