import assert from "node:assert/strict";
import { MODEL_NAMES, modelOptionsSchema, parseModelOptions } from "../../tasks/models/mod.ts";

Deno.test("parseModelOptions() fills every default of the named model", () => {
  assert.deepEqual(parseModelOptions({ name: "resnet" }), {
    name: "resnet",
    depth: 18,
    width: 64,
    conv_bias: false,
    normalization: "batch",
    conv_dropout: 0,
    fc_dropout: 0,
  });
});

Deno.test("parseModelOptions() names the valid models when the name is unknown", () => {
  assert.throws(
    () => parseModelOptions({ name: "resnt" }),
    new Error(
      `Invalid model options at 'name': Unknown model name 'resnt': valid names are ${
        MODEL_NAMES.join(", ")
      }`,
    ),
  );
});

Deno.test("parseModelOptions() names the valid options when an option is unknown", () => {
  assert.throws(
    () => parseModelOptions({ name: "resnet", dept: 34 }),
    new Error(
      "Invalid model options: Unknown option 'dept' for model 'resnet': valid options are name, depth, blocks, width, conv_bias, normalization, conv_dropout, fc_dropout",
    ),
  );
});

Deno.test("parseModelOptions() rejects a depth the family does not have", () => {
  assert.throws(() => parseModelOptions({ name: "resnet", depth: 20 }), /at 'depth'/);
});

Deno.test("modelOptionsSchema rejects dropout rates outside [0, 1)", () => {
  const r = modelOptionsSchema.safeParse({ name: "vgg_small", fc_dropout: 1 });
  assert.equal(r.success, false);
  assert.deepEqual(r.error?.issues[0].path, ["fc_dropout"]);
});

Deno.test("MODEL_NAMES includes the benchmark's three models", () => {
  for (const name of ["lenet", "vgg_small", "resnet"]) assert.ok(MODEL_NAMES.includes(name));
});
