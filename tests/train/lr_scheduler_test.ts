import assert from "node:assert/strict";
import { LrScheduler } from "../../tasks/train/lr_scheduler.ts";
import { scheduleSchema } from "../../tasks/train/train_options.ts";

function scheduler(schedule: Record<string, unknown>, baseLr = 0.1, epochs = 10) {
  return new LrScheduler(scheduleSchema.parse(schedule), { baseLr, epochs });
}

function close(actual: number[], expected: number[]) {
  actual.forEach((a, i) =>
    assert.ok(Math.abs(a - expected[i]) < 1e-12, `${actual} vs ${expected}`)
  );
}

Deno.test("LrScheduler step multiplies by gamma every step_size epochs", () => {
  const s = scheduler({ type: "step", step_size: 2, gamma: 0.5 });
  close([0, 1, 2, 3, 4].map((e) => s.lrFor(e)), [0.1, 0.1, 0.05, 0.05, 0.025]);
});

Deno.test("LrScheduler exponential multiplies by gamma every epoch", () => {
  const s = scheduler({ type: "exponential", gamma: 0.9 });
  close([0, 1, 2].map((e) => s.lrFor(e)), [0.1, 0.09, 0.081]);
});

Deno.test("LrScheduler cosine anneals from lr to eta_min over t_max (default: epochs)", () => {
  const s = scheduler({ type: "cosine", eta_min: 0.01 }, 0.1, 4);
  close([0, 1, 2, 3, 4].map((e) => s.lrFor(e)), [
    0.1,
    0.01 + 0.09 * (1 + Math.SQRT1_2) / 2,
    0.055,
    0.01 + 0.09 * (1 - Math.SQRT1_2) / 2,
    0.01,
  ]);
});

Deno.test("LrScheduler plateau (max mode, lab report 002) cuts lr after patience bad epochs", () => {
  const s = scheduler(
    {
      type: "plateau",
      mode: "max",
      monitor: "val_top1",
      factor: 0.1,
      patience: 2,
      threshold: 1e-4,
      min_lr: 1e-8,
    },
    0.015,
  );
  const lrs: number[] = [];
  // 0.40 → 0.45 improves; 0.45, 0.45004 (< rel threshold), 0.44 are 3 bad epochs > patience 2.
  for (const acc of [0.40, 0.45, 0.45, 0.45004, 0.44, 0.46]) {
    s.endEpoch({ val_top1: acc });
    lrs.push(s.lrFor(0));
  }
  close(lrs, [0.015, 0.015, 0.015, 0.015, 0.0015, 0.0015]);
});

Deno.test("LrScheduler plateau never goes below min_lr and restores its state", () => {
  const s = scheduler({ type: "plateau", patience: 0, factor: 0.1, min_lr: 0.005 });
  for (const loss of [1, 1, 1, 1]) s.endEpoch({ val_loss: loss });
  assert.equal(s.lrFor(0), 0.005);
  const copy = scheduler({ type: "plateau", patience: 0, factor: 0.1, min_lr: 0.005 });
  copy.restore(JSON.parse(JSON.stringify(s.state())));
  assert.deepEqual(copy.state(), { lr: 0.005, best: 1, badEpochs: 0 });
});

Deno.test("LrScheduler plateau ignores a missing or non-finite metric", () => {
  const s = scheduler({ type: "plateau", patience: 0 });
  s.endEpoch({ val_loss: 1 });
  s.endEpoch({ val_loss: null });
  s.endEpoch({ val_loss: NaN });
  assert.deepEqual(s.state(), { lr: 0.1, best: 1, badEpochs: 0 });
});
