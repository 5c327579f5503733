import assert from "node:assert/strict";
import { EarlyStopping } from "../../tasks/train/early_stopping.ts";

Deno.test("EarlyStopping stops after patience epochs without a loss decrease of min_delta", () => {
  const e = new EarlyStopping({ monitor: "val_loss", patience: 2, min_delta: 0.01 });
  assert.equal(e.endEpoch(1, { val_loss: 1.0 }), false);
  assert.equal(e.endEpoch(2, { val_loss: 0.995 }), false); // within min_delta: a bad epoch
  assert.equal(e.endEpoch(3, { val_loss: 0.9 }), false); // improves, counter resets
  assert.equal(e.endEpoch(4, { val_loss: 0.95 }), false);
  assert.equal(e.endEpoch(5, { val_loss: 0.95 }), true);
  assert.deepEqual(e.state(), { best: 0.9, bestEpoch: 3, badEpochs: 2 });
});

Deno.test("EarlyStopping treats accuracies as better when larger", () => {
  const e = new EarlyStopping({ monitor: "val_top1", patience: 1, min_delta: 0 });
  assert.equal(e.endEpoch(1, { val_top1: 0.5 }), false);
  assert.equal(e.endEpoch(2, { val_top1: 0.6 }), false);
  assert.equal(e.endEpoch(3, { val_top1: 0.6 }), true);
});

Deno.test("EarlyStopping resumes from its saved state", () => {
  const a = new EarlyStopping({ monitor: "train_loss", patience: 2, min_delta: 0 });
  a.endEpoch(1, { train_loss: 1 });
  a.endEpoch(2, { train_loss: 2 });
  const b = new EarlyStopping({ monitor: "train_loss", patience: 2, min_delta: 0 });
  b.restore(JSON.parse(JSON.stringify(a.state())));
  assert.equal(b.endEpoch(3, { train_loss: 2 }), true);
});
