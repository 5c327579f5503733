import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../../pipelines/cli/cli.ts";
import { parseCliArgs } from "../../pipelines/cli/parse_cli_args.ts";
import { isOverrideArgument, parseOverride } from "../../pipelines/config/command_line_override.ts";
import { ConfigError } from "../../pipelines/config/config_error.ts";
import { loadConfig } from "../../pipelines/config/load_config.ts";
import { createFakeProject } from "../fixtures/pipelines/fake_project.ts";
import { countOutcomes, createSandbox, TWO_RUNS } from "./_sandbox.ts";

const project = createFakeProject();

function withConfig<T>(text: string, body: (file: string, dir: string) => T): T {
  const dir = Deno.makeTempDirSync({ prefix: "cnnlab-override-" });
  try {
    const file = join(dir, "two.yaml");
    Deno.writeTextFileSync(file, text);
    return body(file, dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

function load(text: string, args: string[]) {
  return withConfig(
    text,
    (file) => loadConfig(file, project, { overrides: args.map(parseOverride) }),
  );
}

/** The message a config with these overrides fails with (the temp folder removed from it). */
function failure(text: string, args: string[]): string {
  return withConfig(text, (file, dir) => {
    try {
      loadConfig(file, project, { overrides: args.map(parseOverride) });
    } catch (error) {
      assert.ok(error instanceof ConfigError, String(error));
      return error.message.replaceAll(`${dir}/`, "");
    }
    throw new Error(`${args.join(" ")} was accepted`);
  });
}

Deno.test("an override sets a value in every run, wins over the experiment's own value and names the runs", () => {
  const config = load(TWO_RUNS, ["train.lr=0.05", "train.epochs=3"]);
  assert.deepEqual(config.runs.map((r) => r.name), ["a-lr=0.05-epochs=3", "b-lr=0.05-epochs=3"]);
  assert.deepEqual(config.runs.map((r) => r.params.train.lr), [0.05, 0.05]);
  assert.deepEqual(config.runs.map((r) => r.params.train.epochs), [3, 3]);
  assert.deepEqual(config.runs[0].overrides, { "train.lr": 0.05, "train.epochs": 3 });
  assert.equal(config.runs[0].sweep, undefined);
  assert.deepEqual(config.overrides, ["train.lr=0.05", "train.epochs=3"]);
  const plain = load(TWO_RUNS, []);
  assert.equal(plain.overrides, undefined);
  assert.notEqual(plain.hash, config.hash);
});

Deno.test("a per-experiment override changes only that experiment and wins over a global one", () => {
  const config = load(TWO_RUNS, ["a.train.lr=0.5", "train.epochs=4", "b.train.epochs=6"]);
  assert.deepEqual(config.runs.map((r) => r.name), ["a-lr=0.5-epochs=4", "b-epochs=6"]);
  assert.deepEqual(
    config.runs.map((r) => [r.params.train.lr, r.params.train.epochs]),
    [[0.5, 4], [0.2, 6]],
  );
  assert.deepEqual(config.runs[1].overrides, { "train.epochs": 6 });
  // A value that is a map replaces per key, as in a file: model.name comes from the file.
  const model = load(TWO_RUNS, ["b.model={width: 8}"]);
  assert.deepEqual(model.runs[1].params.model, { name: "small", width: 8, dropout: 0 });
  assert.equal(model.runs[1].name, "b-model=width:8");
});

Deno.test("key=a,b sweeps an override, as a grid with the config's own sweep and seeds", () => {
  const swept = load(TWO_RUNS, ["train.lr=0.1,0.01", "a.model.dropout=0,0.5"]);
  assert.deepEqual(swept.runs.map((r) => r.name), [
    "a-lr=0.1-dropout=0",
    "a-lr=0.1-dropout=0.5",
    "a-lr=0.01-dropout=0",
    "a-lr=0.01-dropout=0.5",
    "b-lr=0.1",
    "b-lr=0.01",
  ]);
  assert.deepEqual(swept.runs[1].sweep, {
    name: "command-line",
    values: { "train.lr": 0.1, "model.dropout": 0.5 },
  });
  assert.deepEqual(swept.runs[1].params.model, { name: "tiny", dropout: 0.5 });

  const withSweep = `${TWO_RUNS}sweep:
  name: width
  experiments: [b]
  params: { model.width: [2, 8] }
seeds: 2
`;
  const grid = load(withSweep, ["train.lr=0.3,0.4"]);
  assert.deepEqual(grid.runs.filter((r) => r.experiment === "b").map((r) => r.name), [
    "b-width=2-lr=0.3-seed=0",
    "b-width=2-lr=0.3-seed=1",
    "b-width=2-lr=0.4-seed=0",
    "b-width=2-lr=0.4-seed=1",
    "b-width=8-lr=0.3-seed=0",
    "b-width=8-lr=0.3-seed=1",
    "b-width=8-lr=0.4-seed=0",
    "b-width=8-lr=0.4-seed=1",
  ]);
  const run = grid.runs.find((r) => r.name === "b-width=8-lr=0.4-seed=1")!;
  assert.deepEqual(run.sweep, { name: "width", values: { "model.width": 8, "train.lr": 0.4 } });
  assert.deepEqual([run.params.model, run.params.train.lr, run.seed], [
    { name: "small", width: 8, dropout: 0 },
    0.4,
    1,
  ]);
  // Lists and quoted commas are one value, not a sweep.
  assert.deepEqual(parseOverride("x.y=[1,2]").values, [[1, 2]]);
  assert.deepEqual(parseOverride("x.y='a,b',c").values, ["a,b", "c"]);
});

Deno.test("bad override keys and values get the config file's messages, naming the override", () => {
  const cases: [string[], string][] = [
    [
      ["train.optimiser=adam"],
      "Cannot read override 'train.optimiser=adam' as 'train.optimiser' is not a known key: did you mean 'optimizer'? (run 'a-optimiser=adam')",
    ],
    [
      ["train.lr=-1"],
      "Cannot read override 'train.lr=-1' as 'train.lr' must be a positive number: current value is -1 (run 'a-lr=-1')",
    ],
    [
      ["train.optimizer=adamm"],
      `Cannot read override 'train.optimizer=adamm' as 'train.optimizer' must be one of 'sgd', 'adam': current value is "adamm"; did you mean 'adam'? (run 'a-optimizer=adamm')`,
    ],
    [
      ["b.model.width=0.5"],
      "Cannot read override 'b.model.width=0.5' as 'model.width' must be an integer: current value is 0.5 (run 'b-width=0.5')",
    ],
    [
      ["model.width=8"],
      "Cannot read override 'model.width=8' as 'model.width' is not a known key: allowed: 'dropout' (run 'a-width=8')",
    ],
    [
      ["trian.lr=0.1"],
      "Cannot read override 'trian.lr=0.1' as 'trian' is neither a parameter nor an experiment of two.yaml: did you mean 'train'?",
    ],
    [
      ["aa.train.lr=0.1"],
      "Cannot read override 'aa.train.lr=0.1' as 'aa' is neither a parameter nor an experiment of two.yaml: did you mean 'a'?",
    ],
    [
      ["a=1"],
      "Cannot read override 'a=1' as 'a' names an experiment but no parameter: write e.g. a.train.lr=0.01",
    ],
    [
      ["train.lr=0.1", "train={lr: 0.2}"],
      "Cannot read override 'train={lr: 0.2}' as it sets 'train' which override 'train.lr=0.1' already sets: give each parameter once",
    ],
    [
      ["train.lr=[0.1,"],
      `Cannot read override 'train.lr=[0.1,' as its value has an unclosed bracket or quote: "[0.1,"`,
    ],
    [
      ["train.lr=0.1,0.1"],
      "Cannot read override 'train.lr=0.1,0.1' as it lists 0.1 twice: each swept value may appear once",
    ],
    [
      ["train.lr=@1"],
      "Cannot read override 'train.lr=@1' as its value is not valid YAML: Plain value cannot start with reserved character @",
    ],
  ];
  for (const [args, message] of cases) assert.equal(failure(TWO_RUNS, args), message);
  // The same key in the file gives the same words after "as".
  const words = (message: string) => message.replace(/^Cannot read .*? as /, "");
  assert.equal(
    words(failure(TWO_RUNS.replace("lr: 0.1 }", "lr: 0.1, lrr: 0.01 }"), [])),
    words(failure(TWO_RUNS, ["a.train.lrr=0.01"])).replace("(run 'a-lrr=0.01')", "(run 'a')"),
  );
  const swept = `${TWO_RUNS}sweep: { name: rates, params: { train.lr: [0.1, 0.2] } }\n`;
  assert.equal(
    failure(swept, ["train.lr=0.3"]),
    "Cannot read override 'train.lr=0.3' as sweep 'rates' already varies 'train.lr' for experiment 'a': sweep it on the command line instead (train.lr=a,b) or drop the override",
  );
  assert.equal(
    failure(`${TWO_RUNS}seeds: 2\n`, ["seed=4"]),
    "Cannot read override 'seed=4' as 'seeds:' of the config sets 'seed' for every run: drop the override or the config's 'seeds:'",
  );
});

Deno.test("the command line tells overrides from configs and run globs, and bad ones exit 2", async () => {
  assert.ok(isOverrideArgument("train.lr=0.01"));
  assert.ok(isOverrideArgument("seed=3"));
  assert.ok(isOverrideArgument("lenet.model.fc_dropout=0.3"));
  assert.ok(!isOverrideArgument("lenet-lr=0.01"), "a run name");
  assert.ok(!isOverrideArgument("configs/a=b.yaml"));
  assert.ok(!isOverrideArgument("lenet*"));
  const cli = parseCliArgs(["run", "a.yaml", "--force", "train.lr=0.1", "b.yaml"]);
  assert.deepEqual(cli.configs, ["a.yaml", "b.yaml"]);
  assert.deepEqual(cli.overrides.map((o) => o.text), ["train.lr=0.1"]);
  assert.equal(cli.force, "*");
  assert.equal(parseCliArgs(["run", "a.yaml", "--force", "a-lr=0.1"]).force, "a-lr=0.1");

  await withConfig(TWO_RUNS, async (file, dir) => {
    const errors: string[] = [];
    const code = await runCli(project, ["run", file, "train.lr=0", "--cache-dir", join(dir, "c")], {
      out: () => {},
      err: (t) => errors.push(t),
    });
    assert.equal(code, 2);
    assert.deepEqual(errors, [
      "Cannot read override 'train.lr=0' as 'train.lr' must be a positive number: current value is 0 (run 'a-lr=0')",
    ]);
    assert.throws(() => Deno.statSync(join(dir, "c")), Deno.errors.NotFound);
  });
});

Deno.test("an override equal to the file's value hits the cache: only the report reruns", async () => {
  await using box = await createSandbox();
  const config = box.write("two.yaml", TWO_RUNS);
  const first = await box.run(["run", config]);
  assert.deepEqual(countOutcomes(first.outcomes), { run: 7 });
  const same = await box.run(["run", config, "a.train.lr=0.1", "train.epochs=2"]);
  assert.equal(same.code, 0, same.err.join("\n"));
  assert.deepEqual(same.outcomes, {
    "data:digits": "fresh",
    "train:a-lr=0.1-epochs=2": "fresh",
    "evaluate:a-lr=0.1-epochs=2": "fresh",
    "data:letters": "fresh",
    "train:b-epochs=2": "fresh",
    "evaluate:b-epochs=2": "fresh",
    "report:two": "run",
  });
  const other = await box.run(["status", config, "a.train.lr=0.3"]);
  assert.equal(other.outcomes["train:a-lr=0.3"], "will run");
  assert.match(other.why["train:a-lr=0.3"], /^never run before/);
  assert.equal(other.outcomes["train:b"], "fresh");
});
