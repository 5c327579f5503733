import assert from "node:assert/strict";
import {
  shareCores,
  slurmCpus,
  THREADS_VARIABLE,
  threadsPerJob,
  useSlurmAllocation,
} from "../../pipelines/run/share_cores.ts";

Deno.test("threadsPerJob() splits the cores among the jobs, at least one each, unless the user chose", () => {
  assert.equal(threadsPerJob(1, 8, undefined), undefined, "one job keeps the backend's default");
  assert.equal(threadsPerJob(2, 2, undefined), 1);
  assert.equal(threadsPerJob(2, 8, undefined), 4);
  assert.equal(threadsPerJob(3, 8, undefined), 2);
  assert.equal(threadsPerJob(4, 2, undefined), 1, "more jobs than cores: one thread each");
  assert.equal(threadsPerJob(2, 8, ""), 4, "an empty variable counts as unset");
  assert.equal(threadsPerJob(2, 8, "3"), undefined, "the user's value stands");
});

Deno.test("shareCores() sets the variable for the stage processes and says so, once", () => {
  const before = Deno.env.get(THREADS_VARIABLE);
  Deno.env.delete(THREADS_VARIABLE);
  try {
    assert.equal(shareCores(1, 8), undefined);
    assert.equal(Deno.env.get(THREADS_VARIABLE), undefined);
    assert.equal(
      shareCores(2, 8),
      "--jobs 2 on 8 cores: each stage process gets CNNLAB_THREADS=4",
    );
    assert.equal(Deno.env.get(THREADS_VARIABLE), "4");
    // Now set (as a user's would be): left as it is.
    assert.equal(shareCores(4, 8), undefined);
    assert.equal(Deno.env.get(THREADS_VARIABLE), "4");
  } finally {
    if (before === undefined) Deno.env.delete(THREADS_VARIABLE);
    else Deno.env.set(THREADS_VARIABLE, before);
  }
});

Deno.test("a Slurm job's stage uses the CPUs the job was allocated, unless CNNLAB_THREADS is set", () => {
  const env = (vars: Record<string, string>) => (name: string) => vars[name];
  assert.equal(slurmCpus(env({})), undefined, "not in a Slurm job");
  assert.equal(slurmCpus(env({ SLURM_JOB_ID: "7", SLURM_CPUS_ON_NODE: "2" })), 2);
  assert.equal(
    slurmCpus(env({ SLURM_JOB_ID: "7", SLURM_CPUS_PER_TASK: "4", SLURM_CPUS_ON_NODE: "8" })),
    4,
  );
  assert.equal(slurmCpus(env({ SLURM_JOB_ID: "7", SLURM_CPUS_PER_TASK: "x" })), undefined);

  const saved = ["SLURM_JOB_ID", "SLURM_CPUS_PER_TASK", "SLURM_CPUS_ON_NODE", THREADS_VARIABLE]
    .map((k) => [k, Deno.env.get(k)] as const);
  try {
    for (const [k] of saved) Deno.env.delete(k);
    assert.equal(useSlurmAllocation(), undefined, "outside Slurm nothing changes");
    assert.equal(Deno.env.get(THREADS_VARIABLE), undefined);
    Deno.env.set("SLURM_JOB_ID", "12");
    Deno.env.set("SLURM_CPUS_ON_NODE", "1");
    assert.equal(useSlurmAllocation(), "slurm job with 1 CPU: CNNLAB_THREADS=1");
    assert.equal(Deno.env.get(THREADS_VARIABLE), "1");
    Deno.env.set(THREADS_VARIABLE, "3");
    assert.equal(useSlurmAllocation(), undefined, "the user's CNNLAB_THREADS wins");
    assert.equal(Deno.env.get(THREADS_VARIABLE), "3");
  } finally {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
});
