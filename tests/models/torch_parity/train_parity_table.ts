/**
 * Runs the training-parity harness (train_run.ts, then train_parity.py) on lab report 000's five
 * models and prints a Markdown table: steps, the largest relative loss difference (and its
 * step), the largest relative weight difference, and two controls from PyTorch alone — its
 * float32 run against a float64 run from the same weights, and against a float32 run whose
 * initial weights moved by 1e-7 relative noise — which show how far float32 rounding alone
 * drifts. A developer check: minutes per model on a busy CPU.
 *
 *     CNNLAB_THREADS=1 deno run -A tests/models/torch_parity/train_parity_table.ts [--steps 50]
 *       [--reuse] [--only lenet,vggnet] [WORKDIR]
 *
 * With --reuse a case whose WORKDIR/<case>/run.json exists is not trained again.
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { trainRun } from "./train_run.ts";

const SCRIPT = fileURLToPath(new URL("./train_parity.py", import.meta.url));

/** One row: an experiment of configs/base/lab000-models.yaml, optionally at another lr. */
export const TABLE_CASES = [
  { key: "lenet", experiment: "lenet" },
  { key: "lenet_lr0.004", experiment: "lenet", lr: 0.004 },
  { key: "alexnet", experiment: "alexnet" },
  { key: "resnet", experiment: "resnet" },
  { key: "vggnet", experiment: "vggnet" },
  { key: "densenet", experiment: "densenet" },
];

interface Parity {
  lr: number;
  steps: number;
  maxRelLoss: number;
  maxRelLossStep: number;
  maxRelWeight: number;
  maxRelWeightTensor: string;
  maxRelWeightNullGrad: number;
  tfLosses: number[];
  torchLosses: number[];
}

async function replay(dir: string, env: Record<string, string> = {}): Promise<Parity> {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [SCRIPT, dir],
    env: { PARITY_THREADS: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`train_parity.py ${dir} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** max over steps of |a − b| / |b| */
function maxRel(a: number[], b: number[]): number {
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.abs(b[i])));
}

if (import.meta.main) {
  const args = [...Deno.args];
  const take = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i < 0 ? undefined : args.splice(i, 2)[1];
  };
  const steps = Number(take("steps") ?? 50);
  const only = take("only")?.split(",");
  const reuse = args.includes("--reuse");
  const work = args.filter((a) => a !== "--reuse")[0] ?? "/tmp/train_parity_table";
  const e = (x: number) => x.toExponential(1);
  const rows = [
    "| model | lr | steps | max rel. loss diff (step) | loss ≤ 1e-3 through step | max rel. weight diff | TF.js vs PyTorch f64 | PyTorch f32 vs f64 | PyTorch vs itself, weights ×(1+1e-7·N) |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const c of TABLE_CASES.filter((c) => !only || only.includes(c.key))) {
    const dir = join(work, c.key);
    let exists = false;
    try {
      exists = reuse && (await Deno.stat(join(dir, "run.json"))).isFile;
    } catch { /* not there: train it */ }
    if (!exists) {
      await trainRun(dir, { experiment: c.experiment, steps, lr: c.lr, backend: "native" });
    }
    const p = await replay(dir);
    const f64 = await replay(dir, { PARITY_DOUBLE: "1" });
    const perturbed = await replay(dir, { PARITY_PERTURB: "1e-7" });
    const rel = p.tfLosses.map((x, i) => Math.abs(x - p.torchLosses[i]) / p.torchLosses[i]);
    const firstMiss = rel.findIndex((r) => r > 1e-3);
    rows.push(
      `| ${c.experiment} | ${p.lr} | ${p.steps} | ${e(p.maxRelLoss)} (${p.maxRelLossStep}) | ${
        firstMiss < 0 ? p.steps : firstMiss
      } | ${e(p.maxRelWeight)} (${p.maxRelWeightTensor}) | ${
        e(maxRel(p.tfLosses, f64.torchLosses))
      } | ${e(maxRel(p.torchLosses, f64.torchLosses))} | ${
        e(maxRel(perturbed.torchLosses, p.torchLosses))
      } |`,
    );
    console.log(rows.at(-1));
  }
  console.log(`\n${rows.join("\n")}`);
}
