import assert from "node:assert/strict";
import { loadConfig } from "../../pipelines/mod.ts";
import {
  benchWorkloads,
  selectWorkloads,
  shippedConfigs,
  splitWorkloadPatterns,
} from "../../tasks/bench/bench_workloads.ts";
import { project } from "../../tasks/project.ts";
import { jobsWorkload } from "../../tasks/bench/bench_jobs.ts";

const all = benchWorkloads();

Deno.test("the bench has a workload for every run of every shipped config, each run once", () => {
  const covered = all.flatMap((w) => [w.id, ...w.also]);
  assert.equal(new Set(covered).size, covered.length);
  const runs = shippedConfigs().flatMap((file) => {
    const config = loadConfig(file, project);
    return config.runs.map((run) => `${config.name}:${run.name}`);
  });
  assert.deepEqual([...covered].sort(), [...runs].sort());
  assert.ok(runs.includes("mnist-all:densenet") && runs.includes("fashion-mnist-modern:googlenet"));
});

Deno.test("runs whose step costs the same share a workload; a different step does not", () => {
  const of = (id: string) => all.find((w) => w.id === id || w.also.includes(id))!;
  // The input the model sees: d2l's AlexNet resized to 224², MobileNet upsampling inside.
  assert.deepEqual(of("fashion-mnist-modern:alexnet").inputShape, [224, 224, 1]);
  assert.deepEqual(of("mnist-all:mobilenet").inputShape, [28, 28, 1]);
  assert.notEqual(of("mnist-all:densenet"), of("fashion-mnist-modern:densenet"));
  // The lab-000 LeNet trail differs only in learning rate and epochs: one step.
  assert.equal(of("mnist-all:lenet-lr=0.004-epochs=10"), of("mnist-all:lenet-lr=0.0001-epochs=20"));
});

Deno.test("selectWorkloads() picks by id, config or model name, in the order asked, each once", () => {
  const picked = selectWorkloads(all, ["mnist-all:densenet", "smoke", "densenet"]);
  const ids = picked.map((w) => w.id);
  assert.equal(ids[0], "mnist-all:densenet");
  assert.deepEqual(ids.slice(1, 3), ["smoke:lenet", "smoke:net"]);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(picked.slice(3).every((w) => w.model.name === "densenet"));
  assert.ok(ids.includes("fashion-mnist-modern:densenet"));
  assert.throws(() => selectWorkloads(all, ["nosuch"]), {
    message:
      /^Cannot bench 'nosuch': no workload of the shipped configs matches it; use a config:run id, a config or a model name, e\.g\. /,
  });
});

Deno.test("splitWorkloadPatterns() keeps the commas of swept run names inside their id", () => {
  const wide = "tiny-imagenet-ablations:cnn-channels=128,256,512,1024,2048-fc_units=1024";
  const narrow = "tiny-imagenet-ablations:cnn-channels=128,256,512,1024-fc_units=512";
  assert.deepEqual(
    splitWorkloadPatterns(all, `${wide},lenet,${narrow}, smoke`),
    [wide, "lenet", narrow, "smoke"],
  );
  const picked = selectWorkloads(all, splitWorkloadPatterns(all, `${narrow},${wide}`));
  assert.deepEqual(picked.map((w) => w.id), [narrow, wide]);
  // Pieces that name nothing stay apart, so the error names the first of them alone.
  assert.deepEqual(splitWorkloadPatterns(all, "lenet,nosuch,256"), ["lenet", "nosuch", "256"]);
  assert.throws(() => selectWorkloads(all, splitWorkloadPatterns(all, "lenet,nosuch")), {
    message: /^Cannot bench 'nosuch'/,
  });
});

Deno.test("the --jobs 2 figure finds mnist-all's LeNet at batch 128 under its swept run names", () => {
  const lenet = jobsWorkload(all)!;
  assert.equal(lenet.model.name, "lenet");
  assert.equal(lenet.batchSize, 128);
  assert.match(lenet.id, /^mnist-all:lenet-lr=/);
  assert.equal(jobsWorkload(all.filter((w) => w !== lenet)), undefined);
});
