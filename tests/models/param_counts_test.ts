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
