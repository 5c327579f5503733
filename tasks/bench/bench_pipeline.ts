/**
 * The bench's whole-pipeline figure: `deno task pipeline` on a one-epoch LeNet config over full
 * MNIST (data, split, train with its validation pass, evaluate, report; fresh cache) against
 * lenet_epoch_peer.py doing the same work in PyTorch, whole processes, interleaved, best of two.
 * @module
 */
import { resolveSource } from "../datasets/resolve_source.ts";
import { runChild } from "./_run_child.ts";

/** Options of {@linkcode benchPipeline}. */
export interface BenchPipelineOptions {
  log: (line: string) => void;
  /** `performance.now()` after which nothing more starts. */
  deadline: number;
  /** Also run the PyTorch peer. */
  torch: boolean;
  /** Rounds; the fastest of each side counts. Default 2. */
  rounds?: number;
}

const ROOT = new URL("../../", import.meta.url).pathname;

/** The config the bench runs: lab report 000's LeNet, one epoch, Adam 1e-3, batch 128. */
function configText(mnist: string): string {
  return [
    "description: One LeNet epoch on full MNIST, end to end (deno task bench).",
    "defaults:",
    `  data: { dataset: mnist, path: ${JSON.stringify(mnist)} }`,
    "  split: { validation: 0.2, seed: 0 }",
    "  preprocess: { normalize: train }",
    "  train: { optimizer: adam, lr: 0.001, batch_size: 128, epochs: 1 }",
    "  backend: native",
    "  seed: 0",
    "experiments:",
    "  lenet: { model: { name: lenet } }",
    "report: { title: One LeNet epoch (bench) }",
    "",
  ].join("\n");
}

/**
 * Times both sides and logs seconds and the ratio (the target: ≤ 1.0).
 * @returns cnnlab's seconds over PyTorch's, or null when not measured.
 */
export async function benchPipeline(o: BenchPipelineOptions): Promise<number | null> {
  o.log(
    "\nWhole pipeline: one LeNet epoch on full MNIST (48,000 train, 12,000 validation, " +
      "10,000 test images), fresh cache, whole processes",
  );
  let mnist: string;
  try {
    mnist = (await resolveSource("mnist", { download: false })).location;
  } catch (e) {
    o.log(`  not measured: ${(e as Error).message.split("\n")[0]}`);
    return null;
  }
  const best = { cnnlab: Infinity, torch: Infinity };
  for (let round = 0; round < (o.rounds ?? 2); round++) {
    if (performance.now() > o.deadline) break;
    const dir = await Deno.makeTempDir({ prefix: "cnnlab-bench-" });
    try {
      await Deno.writeTextFile(`${dir}/lenet-epoch.yaml`, configText(mnist));
      const run = await runChild(Deno.execPath(), [
        "run",
        "-A",
        "--unstable-webgpu",
        "--config",
        `${ROOT}deno.json`,
        `${ROOT}tasks/cli.ts`,
        "run",
        "lenet-epoch.yaml",
        "--cache-dir",
        `${dir}/cache`,
      ], { cwd: dir, timeoutSeconds: 900, json: false });
      if (run.error) {
        o.log(`  cnnlab: ${run.error}`);
        return null;
      }
      best.cnnlab = Math.min(best.cnnlab, run.seconds);
      if (!o.torch) continue;
      const peer = await runChild("/usr/bin/python3", [
        `${ROOT}tasks/bench/lenet_epoch_peer.py`,
        mnist,
        `${dir}/peer`,
        String(navigator.hardwareConcurrency),
      ], { timeoutSeconds: 900 });
      if (peer.error) {
        o.log(`  PyTorch: ${peer.error}`);
        return null;
      }
      best.torch = Math.min(best.torch, peer.seconds);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  if (!Number.isFinite(best.cnnlab)) {
    o.log("  not measured (the bench's time budget is spent)");
    return null;
  }
  o.log(`  cnnlab (deno task pipeline, native): ${best.cnnlab.toFixed(2)} s`);
  if (!Number.isFinite(best.torch)) return null;
  const ratio = best.cnnlab / best.torch;
  o.log(
    `  PyTorch peer (tasks/bench/lenet_epoch_peer.py): ${best.torch.toFixed(2)} s; cnnlab takes ` +
      `${ratio.toFixed(2)}× its time (target ≤ 1.0)`,
  );
  return ratio;
}
