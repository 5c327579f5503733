/**
 * Time estimates of a sweep: runs that differ only in what does not change a model's speed (its
 * learning rate, its dropout rates as long as they are not zero) share one speed probe.
 */
import "../../tasks/quiet_tfjs.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { estimateStages } from "../../pipelines/estimate/estimate_stages.ts";
import { planPipeline } from "../../pipelines/graph/plan_pipeline.ts";
import { project } from "../../tasks/project.ts";

Deno.test("a sweep over learning and dropout rates is probed once per speed-relevant model", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-probe-" });
  try {
    const config = join(dir, "rates.yaml");
    await Deno.writeTextFile(
      config,
      `
defaults: { data: { dataset: mnist }, train: { epochs: 1, batch_size: 32 } }
experiments:
  lenet: { model: { name: lenet } }
sweep:
  name: rates
  mode: grid
  params: { train.lr: [0.1, 0.01], model.fc_dropout: [0, 0.2, 0.5] }
`,
    );
    const cacheDir = join(dir, "cache");
    const { stages } = await planPipeline(project, [config], { cacheDir });
    const trains = stages.filter((s) => s.kind === "train");
    assert.equal(trains.length, 6, "2 lr × 3 dropout");
    const estimates = await estimateStages(project, stages, cacheLayout(cacheDir));
    const memo = JSON.parse(
      await Deno.readTextFile(join(cacheDir, "state", "speed-probes.json")),
    );
    assert.equal(Object.keys(memo).length, 2, "one probe with dropout, one without");
    const seconds = (dropout: number) =>
      new Set(
        trains.filter((s) =>
          (s.node.params as { model: { fc_dropout: number } }).model
            .fc_dropout === dropout
        ).map((s) => {
          const e = estimates.get(s);
          assert.ok(e, `${s.id} has an estimate`);
          assert.match(e.basis, /in a short probe/);
          return e.seconds;
        }),
      );
    assert.equal(seconds(0).size, 1, "the runs without dropout share one figure");
    assert.equal(new Set([...seconds(0.2), ...seconds(0.5)]).size, 1, "so do those with dropout");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
