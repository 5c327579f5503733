import assert from "node:assert/strict";
import { trainModel } from "../../tasks/train/train_model.ts";
import { trainOptionsSchema } from "../../tasks/train/train_options.ts";
import { syntheticData, tinyModel, useCpu } from "./_fixtures.ts";

await useCpu();

Deno.test("trainModel() learns the synthetic classes and records every epoch", async () => {
  const train = trainOptionsSchema.parse({
    optimizer: "adam",
    lr: 0.01,
    epochs: 6,
    batch_size: 16,
  });
  const lines: string[] = [];
  const t0 = performance.now();
  const result = await trainModel(tinyModel(), syntheticData(), {
    train,
    seed: 1,
    checkpointPath: null,
    log: (l) => lines.push(l),
  });
  console.log(lines.join("\n"), (performance.now() - t0) / 1000);
  assert.equal(result.status, "ok");
  assert.equal(result.history.length, 6);
  assert.ok(result.history[5].val_top1! > 0.9, `val top1 ${result.history[5].val_top1}`);
});
