import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import type { StageJob } from "../../pipelines/run/execute_stage.ts";
import { inProcessExecutor } from "../../pipelines/run/in_process_executor.ts";
import { runPipeline } from "../../pipelines/run/run_pipeline.ts";
import { buildStageGraph } from "../../pipelines/graph/stage_graph.ts";
import type { Json, StageNode } from "../../pipelines/types.ts";

const MODULE = new URL("../fixtures/pipelines/stages/data.ts", import.meta.url);

/** A root node with `count` independent inputs. */
function fanIn(count: number): StageNode {
  const inputs: Record<string, StageNode> = {};
  for (let i = 0; i < count; i++) {
    inputs[`w${i}`] = { id: `work:${i}`, kind: "work", module: MODULE, params: { i }, inputs: {} };
  }
  return { id: "join", kind: "join", module: MODULE, params: null, inputs };
}

Deno.test("runPipeline() runs at most `jobs` stages at once and a stage only after its inputs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-runner-" });
  try {
    const stages = await buildStageGraph([{ config: "c", nodes: [fanIn(5)] }]);
    let running = 0;
    let peak = 0;
    const finished: string[] = [];
    const runJob = async (job: StageJob) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      await Deno.writeTextFile(join(job.outDir, "x.json"), JSON.stringify(job.params));
      finished.push(JSON.stringify(job.params));
      running--;
    };
    const layout = cacheLayout(join(dir, "c"));
    const results = await runPipeline(stages, {
      layout,
      executor: inProcessExecutor({ layout, runJob, slots: 2 }),
    });
    assert.equal(peak, 2);
    assert.equal(finished.at(-1), "null", "the join stage runs last");
    assert.deepEqual(results.map((r) => r.outcome), ["run", "run", "run", "run", "run", "run"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runPipeline() skips stages that had not started when the run is interrupted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-runner-" });
  try {
    const stages = await buildStageGraph([{ config: "c", nodes: [fanIn(3)] }]);
    const controller = new AbortController();
    const runJob = async (job: StageJob) => {
      await Deno.writeTextFile(join(job.outDir, "x.json"), "{}");
      controller.abort();
    };
    const layout = cacheLayout(join(dir, "c"));
    const results = await runPipeline(stages, {
      layout,
      executor: inProcessExecutor({ layout, runJob }),
      signal: controller.signal,
    });
    assert.deepEqual(results.map((r) => [r.stage.id, r.outcome, r.error]), [
      ["work:0", "run", undefined],
      ["work:1", "skipped", "interrupted"],
      ["work:2", "skipped", "interrupted"],
      ["join", "skipped", "input work:1 did not complete"],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("buildStageGraph() merges equal stages, rejects one id for two stages of a config, qualifies ids that clash across configs", async () => {
  const a: StageNode = { id: "data:x", kind: "data", module: MODULE, params: { d: 1 }, inputs: {} };
  const b: StageNode = { id: "data:y", kind: "data", module: MODULE, params: { d: 1 }, inputs: {} };
  const user: StageNode = { id: "u", kind: "u", module: MODULE, params: null, inputs: { a, b } };
  const stages = await buildStageGraph([{ config: "c", nodes: [user] }]);
  assert.equal(stages.length, 2);
  assert.deepEqual(stages[0].ids, ["data:x", "data:y"]);
  const clash: StageNode = { ...b, id: "data:x", params: { d: 2 } };
  await assert.rejects(
    () => buildStageGraph([{ config: "c", nodes: [a, clash] }]),
    /Cannot plan stage data:x as two different stages of config 'c' have that id: the planner must give each its own id/,
  );
  // The same id for different stages in two configs: both are shown qualified by config.
  const stages2 = await buildStageGraph([
    { config: "one", nodes: [a] },
    { config: "two", nodes: [clash] },
  ]);
  assert.deepEqual(stages2.map((s) => s.id), ["one/data:x", "two/data:x"]);
});

Deno.test("buildStageGraph() keys a stage nothing reads lazily, with the same key and the same merging and id checks", async () => {
  const data: StageNode = {
    id: "data:x",
    kind: "data",
    module: MODULE,
    params: { d: 1 },
    inputs: {},
  };
  const report = (params: Json): StageNode => ({
    id: "report",
    kind: "report",
    module: MODULE,
    params,
    inputs: { data },
  });
  // Alone with its kind and code: keyed when first read; equal to the key it gets when a twin in
  // another config makes the two one stage.
  const [, alone] = await buildStageGraph([{ config: "c", nodes: [report({ runs: [1, 2] })] }]);
  const merged = await buildStageGraph([
    { config: "one", nodes: [report({ runs: [1, 2] })] },
    { config: "two", nodes: [report({ runs: [1, 2] })] },
  ]);
  assert.equal(merged.length, 2);
  assert.deepEqual(merged[1].configs, ["one", "two"]);
  assert.match(alone.key, /^[0-9a-f]{64}$/);
  assert.equal(alone.key, merged[1].key);
  // Different params: two stages, different keys.
  const apart = await buildStageGraph([
    { config: "one", nodes: [report({ runs: [1, 2] })] },
    { config: "two", nodes: [report({ runs: [1, 3] })] },
  ]);
  assert.deepEqual(apart.map((s) => s.id), ["data:x", "one/report", "two/report"]);
  assert.notEqual(apart[1].key, apart[2].key);
  // One id for two lazily keyed stages (different kinds) of a config is still refused.
  const other: StageNode = { ...report({}), kind: "summary" };
  await assert.rejects(
    () => buildStageGraph([{ config: "c", nodes: [report({}), other] }]),
    /Cannot plan stage report as two different stages of config 'c' have that id/,
  );
});
