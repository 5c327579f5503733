import assert from "node:assert/strict";
import {
  augmentOptionsSchema,
  classNames,
  dataOptionsSchema,
  preprocessOptionsSchema,
  splitOptionsSchema,
  tinyImageNetClassNames,
} from "../../tasks/datasets/mod.ts";

Deno.test("the split, preprocess and augment schemas fill in their documented defaults", () => {
  assert.deepEqual(splitOptionsSchema.parse({}), { validation: 0.2, stratified: false, seed: 0 });
  assert.deepEqual(preprocessOptionsSchema.parse({}), { scale: true, normalize: "none" });
  assert.deepEqual(augmentOptionsSchema.parse({}), { crop_padding: 0, flip: false });
  assert.deepEqual(dataOptionsSchema.parse({ dataset: "cifar10" }), { dataset: "cifar10" });
});

Deno.test("the dataset schemas reject unknown keys and out-of-range values", () => {
  assert.equal(dataOptionsSchema.safeParse({ dataset: "imagenet" }).success, false);
  assert.equal(splitOptionsSchema.safeParse({ validaton: 0.1 }).success, false);
  assert.equal(splitOptionsSchema.safeParse({ validation: 1 }).success, false);
  assert.equal(splitOptionsSchema.safeParse({ fraction: 0 }).success, false);
  assert.equal(preprocessOptionsSchema.safeParse({ resize: [224] }).success, false);
  assert.equal(preprocessOptionsSchema.safeParse({ channels: 2 }).success, false);
  assert.equal(
    preprocessOptionsSchema.safeParse({ normalize: { mean: [0.5], std: [0.2, 0.2] } }).success,
    false,
  );
  assert.equal(augmentOptionsSchema.safeParse({ crop_padding: -1 }).success, false);
  assert.deepEqual(
    preprocessOptionsSchema.parse({
      normalize: { mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] },
      resize: [224, 224],
      channels: 3,
    }),
    {
      scale: true,
      normalize: { mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] },
      resize: [224, 224],
      channels: 3,
    },
  );
});

Deno.test("classNames() names every fixed data set and asks for the meta for Tiny ImageNet", () => {
  assert.deepEqual(classNames("mnist"), ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
  assert.equal(classNames("fashion-mnist")[9], "Ankle boot");
  assert.equal(classNames("cifar10")[0], "airplane");
  assert.deepEqual(classNames("tiny-imagenet", { classNames: ["goldfish"] }), ["goldfish"]);
  assert.throws(() => classNames("tiny-imagenet"), {
    message: "Cannot name the classes of tiny-imagenet without its words.txt: pass the data " +
      "artifact's meta (loadDataArtifact(dir).meta) as the second argument",
  });
});

Deno.test("tinyImageNetClassNames() takes the first synonym and disambiguates duplicates by wnid", () => {
  const words = "n01\tgoldfish, Carassius auratus\nn02\tcrane\nn03\tcrane\nn04\tbus\n";
  assert.deepEqual(tinyImageNetClassNames(["n01", "n02", "n03", "n05"], words), [
    "goldfish",
    "crane (n02)",
    "crane (n03)",
    "n05",
  ]);
});
