import assert from "node:assert/strict";
import { join } from "node:path";
import { countOutcomes, createSandbox, TWO_RUNS } from "./_sandbox.ts";

Deno.test("a data stage that reruns and writes identical bytes leaves everything downstream fresh (early cutoff)", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  box.edit("stages/data.ts", (t) => t + "\n// reformatted, same output\n");
  const status = await box.run(["status", config]);
  assert.equal(status.outcomes["data:digits"], "will run");
  assert.equal(
    status.why["train:a"],
    "input data:digits will run first; dependents decided after it",
  );
  const rerun = await box.run(["run", config]);
  assert.deepEqual(rerun.outcomes, {
    "data:digits": "run",
    "train:a": "fresh",
    "evaluate:a": "fresh",
    "data:letters": "run",
    "train:b": "fresh",
    "evaluate:b": "fresh",
    "report:two": "fresh",
  });
  assert.deepEqual(countOutcomes((await box.run(["status", config])).outcomes), { fresh: 7 });
});

Deno.test("a stage reaching a computed import() is never restored from the cache, and status says why", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  box.write("stages/_plugin.ts", "export const plugin = 1;\n");
  box.edit(
    "stages/evaluate.ts",
    (t) => `const which = "./_plugin.ts";\nawait import(which);\n` + t,
  );
  const first = await box.run(["run", config]);
  assert.equal(first.code, 0, first.err.join("\n"));
  const status = await box.run(["status", config]);
  const where = join(box.stages, "evaluate.ts");
  assert.equal(status.outcomes["evaluate:a"], "will run");
  assert.equal(
    status.why["evaluate:a"],
    `not fully tracked: ${where}:2: computed import(); dependents decided after it`,
  );
  assert.equal(status.outcomes["train:a"], "fresh");
  const again = await box.run(["run", config]);
  assert.equal(again.outcomes["evaluate:a"], "run");
  assert.equal(again.outcomes["evaluate:b"], "run");
  assert.equal(again.outcomes["report:two"], "fresh", "identical outputs: the report is cut off");
});

Deno.test("a stage importing a file that does not exist is not fully tracked", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  await box.run(["run", config]);
  box.edit("stages/report.ts", (t) => `import "./_gone.ts";\n` + t);
  const status = await box.run(["status", config]);
  const where = join(box.stages, "report.ts");
  assert.equal(
    status.why["report:two"],
    `not fully tracked: ${where}: imports _gone.ts, which does not exist; code ${where}`,
  );
});

Deno.test("configs that reuse a stage id for different stages run together, ids shown per config", async () => {
  await using box = await createSandbox();
  const one = box.write("one.yaml", TWO_RUNS);
  const other = box.write("other.yaml", TWO_RUNS.replace("lr: 0.1 }", "lr: 0.3 }"));
  const both = await box.run(["run", one, other]);
  assert.equal(both.code, 0, both.err.join("\n"));
  assert.deepEqual(both.outcomes, {
    "data:digits": "run",
    "one/train:a": "run",
    "one/evaluate:a": "run",
    "data:letters": "run",
    "train:b": "run",
    "evaluate:b": "run",
    "report:one": "run",
    "other/train:a": "run",
    "other/evaluate:a": "run",
    "report:other": "run",
  });
  // Alone, each config finds its stages fresh under its plain ids.
  const alone = await box.run(["status", other]);
  assert.deepEqual(countOutcomes(alone.outcomes), { fresh: 7 });
  const only = await box.run(["status", one, other, "--only", "other/a"]);
  assert.deepEqual(Object.keys(only.outcomes), [
    "data:digits",
    "other/train:a",
    "other/evaluate:a",
  ]);
});

Deno.test("two configs with one name (same file stem in two folders) are refused before anything runs", async () => {
  await using box = await createSandbox();
  await Deno.mkdir(join(box.dir, "a"));
  await Deno.mkdir(join(box.dir, "b"));
  const first = box.write("a/lab.yaml", TWO_RUNS);
  const second = box.write("b/lab.yaml", TWO_RUNS.replace("lr: 0.1 }", "lr: 0.3 }"));
  const result = await box.run(["run", first, second]);
  assert.equal(result.code, 2);
  assert.equal(
    result.err.at(-1),
    `Cannot plan ${first} and ${second} together as both are named 'lab' (their reports would overwrite each other): give one of them its own 'name:'`,
  );
  const renamed = box.write("b/lab.yaml", `name: lab-b\n${TWO_RUNS}`);
  assert.equal((await box.run(["status", first, renamed])).code, 0);
  assert.equal((await box.run(["status", first, first])).code, 0, "one config twice is one config");
  assert.equal(result.out, "");
});
