/**
 * Training parity of lab report 000's LeNet with PyTorch (issue 16): 50 Adam steps of the train
 * stage's step on the pipeline's first MNIST batches, replayed on the PyTorch twin from the same
 * initial weights (train_run.ts → train_parity.py). Needs /usr/bin/python3 with torch (Debian
 * python3-torch, installed by scripts/setup.sh): without it the test fails, it does not skip.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { trainRun } from "./train_run.ts";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./train_parity.py", import.meta.url));

interface Parity {
  maxRelLoss: number;
  maxRelLossStep: number;
  maxRelWeight: number;
  maxRelWeightTensor: string;
  maxRelWeightFull: number;
  tfLosses: number[];
  torchLosses: number[];
  tfHits: number[];
  torchHits: number[];
}

async function parity(dir: string): Promise<Parity> {
  const out = await new Deno.Command(PYTHON, {
    args: [SCRIPT, dir],
    env: { PARITY_THREADS: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  assert.ok(
    out.success,
    `${PYTHON} ${SCRIPT} failed (PyTorch comes from apt's python3-torch; run scripts/setup.sh):\n` +
      text(out.stderr).slice(-2000),
  );
  return JSON.parse(text(out.stdout)) as Parity;
}

/**
 * The config's lr 0.0001 holds 1e-3 on all 50 steps. At the lab's first LeNet lr 0.004, float32
 * rounding differences grow about tenfold every 8 steps (Adam turns near-zero gradient
 * components into ±lr steps), past 1e-3 around step 30 — as far as PyTorch drifts from itself
 * when its initial weights move by 1e-7 (README.md) — so that case checks the first 12 steps.
 * The cpu backend is left to the README's table: 50 steps take minutes there.
 */
const CASES = [
  // The lab's layout (BN after the sigmoid in block 2, dropout off here): the BN shifts start at
  // zero, so their relative difference is the largest, 1.1e-3 / 2.1e-3 after 50 steps with 2 / 1
  // threads (measured); the loss stays within 1e-3 throughout.
  { lr: 0.0001, exact: 50, weights: 5e-3 },
  // With 2 threads the loss passes 1e-3 at step 23 (4.7e-3, measured), with 1 thread later: the
  // first 12 steps hold it with a margin. The weights drift with the losses.
  { lr: 0.004, exact: 12, weights: 5e-2 },
];

for (const c of CASES) {
  Deno.test(`LeNet trains like its PyTorch twin (native, lr ${c.lr}): the loss within 1e-3 on each of the first ${c.exact} Adam steps, the weights within ${c.weights}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "train_parity_" });
    try {
      await trainRun(join(dir, "run"), {
        experiment: "lenet",
        steps: c.exact,
        lr: c.lr,
        backend: "native",
        fullAt: [c.exact],
      });
      const p = await parity(join(dir, "run"));
      assert.equal(p.tfLosses.length, c.exact);
      assert.equal(p.torchLosses.length, c.exact);
      assert.ok(
        p.maxRelLoss <= 1e-3,
        `step ${p.maxRelLossStep}: loss ${p.tfLosses[p.maxRelLossStep - 1]} (TF.js) vs ` +
          `${p.torchLosses[p.maxRelLossStep - 1]} (PyTorch)`,
      );
      assert.ok(p.maxRelWeight <= c.weights, `${p.maxRelWeightTensor}: ${p.maxRelWeight}`);
      assert.ok(
        p.maxRelWeightFull <= c.weights,
        `weights after step ${c.exact}: ${p.maxRelWeightFull}`,
      );
      // The run learns at all (the first batch is at chance, ~2.3).
      assert.ok(p.tfLosses[0] > 2.2, `first loss ${p.tfLosses[0]}`);
      const last = p.tfLosses[c.exact - 1];
      assert.ok(last < p.tfLosses[0], `loss ${p.tfLosses[0]} → ${last}`);
      // Top-1 hits are integers computed independently: equal at every step but rare ties.
      const differ = p.tfHits.filter((h, i) => Math.abs(h - p.torchHits[i]) > 1).length;
      assert.equal(differ, 0, `hits differ by more than 1 at ${differ} steps`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
