import assert from "node:assert/strict";
import { formatSummary, summarizeModel } from "../../tasks/models/mod.ts";
import { parseSummaryArgs, summaryText } from "../../tasks/models/summary_cli.ts";
import { build } from "./_helpers.ts";

Deno.test("summarizeModel() counts lab report 000's LeNet mult-adds as torchinfo (27.08 M at batch 64)", () => {
  const model = build({ name: "lenet" }, [28, 28, 1]);
  const s = summarizeModel(model, 64);
  model.dispose();
  // conv: (w+b)·N·H·W = 156·64·784 + 2,416·64·100; linear and BN: N·params.
  assert.equal(s.multAdds, 27_077_248);
  assert.equal(s.totalParams, 61_750);
  assert.equal(s.buffers, 44);
  assert.deepEqual(s.rows[0], {
    name: "features.conv1",
    type: "Conv2D",
    outputShape: [64, 28, 28, 6],
    params: 156,
    buffers: 0,
    multAdds: 7_827_456,
  });
  // The sizes lab report 000 prints: 0.20 / 6.56 / 0.25 / 7.01 MB.
  assert.deepEqual(
    [s.inputMB, s.forwardBackwardMB, s.paramsMB, s.totalMB].map((v) => v.toFixed(2)),
    ["0.20", "6.56", "0.25", "7.01"],
  );
});

Deno.test("summarizeModel() gives lab report 000's VGG 4.89 G mult-adds at batch 64", () => {
  const model = build({ name: "vgg_small" }, [28, 28, 1]);
  const s = summarizeModel(model, 64);
  model.dispose();
  assert.equal((s.multAdds / 1e9).toFixed(2), "4.89");
  assert.equal(s.forwardBackwardMB.toFixed(2), "77.60");
});

Deno.test("summarizeModel() counts ResNet-18 at 224×224×3 as torchinfo does (1.81 G per image)", () => {
  const model = build({ name: "resnet" }, [224, 224, 3], 1000);
  const s = summarizeModel(model, 1);
  model.dispose();
  assert.equal((s.multAdds / 1e9).toFixed(2), "1.81");
  assert.equal(s.buffers, 9_600);
});

Deno.test("formatSummary() prints rows and torchinfo's totals", () => {
  const model = build({ name: "lenet" }, [28, 28, 1]);
  const text = formatSummary(summarizeModel(model, 64));
  model.dispose();
  const lines = text.split("\n");
  assert.match(lines[1], /^Layer \(type\)\s+Output Shape\s+Param #\s+Mult-Adds$/);
  assert.ok(
    lines.some((l) => /^features\.conv1 \(Conv2D\)\s+\[64, 28, 28, 6\]\s+156\s+7,827,456$/.test(l)),
  );
  for (
    const expected of [
      "Total params: 61,750",
      "Trainable params: 61,750",
      "Non-trainable params: 0",
      "Total mult-adds (M): 27.08",
      "Estimated Total Size (MB): 7.01",
    ]
  ) assert.ok(lines.includes(expected), expected);
});

Deno.test("parseSummaryArgs() reads options as JSON where possible", () => {
  const args = parseSummaryArgs([
    "resnet",
    "--depth",
    "34",
    "--input",
    "32,32,3",
    "--conv-bias",
    "true",
  ]);
  assert.deepEqual(args, {
    options: { name: "resnet", depth: 34, conv_bias: true },
    input: [32, 32, 3],
    classes: 10,
    batch: 64,
  });
  assert.throws(() => parseSummaryArgs(["resnet", "--input", "32,32"]), {
    message: "Cannot read --input as h,w,c positive integers: current value is 32,32",
  });
});

Deno.test("summaryText() prints the resolved options above the table", () => {
  const text = summaryText(parseSummaryArgs(["lenet5"]));
  assert.ok(text.startsWith('{"name":"lenet5","activation":"sigmoid","pool":"avg"'));
  assert.ok(text.includes("Total params: 61,706"));
});

Deno.test("summarizeModel() matches lab report 000's AlexNet (16.87 G) and MobileNet (17.51 G) mult-adds", () => {
  const alexnet = build({ name: "alexnet_small" }, [28, 28, 1]);
  assert.equal((summarizeModel(alexnet, 64).multAdds / 1e9).toFixed(2), "16.87");
  alexnet.dispose();
  const mobilenet = build({ name: "mobilenet_v1", blocks: 7, upsample: 8, pool: 7 }, [28, 28, 1]);
  const s = summarizeModel(mobilenet, 64);
  mobilenet.dispose();
  assert.equal((s.multAdds / 1e9).toFixed(2), "17.51");
  assert.deepEqual(s.rows.find((r) => r.name === "upsample")?.outputShape, [64, 224, 224, 1]);
});
