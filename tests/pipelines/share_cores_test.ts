import assert from "node:assert/strict";
import { shareCores, THREADS_VARIABLE, threadsPerJob } from "../../pipelines/run/share_cores.ts";

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
