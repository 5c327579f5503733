import assert from "node:assert/strict";
import { basename, join, relative } from "node:path";
import { z } from "zod";
import { loadConfig } from "../../pipelines/config/load_config.ts";
import { createFakeProject } from "../fixtures/pipelines/fake_project.ts";

function withFiles(files: Record<string, string>, body: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync({ prefix: "cnnlab-config-" });
  try {
    for (const [name, text] of Object.entries(files)) Deno.writeTextFileSync(join(dir, name), text);
    body(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

const project = createFakeProject();

Deno.test("loadConfig() expands experiments × zip sweep × seeds into readable unique run names", () => {
  withFiles({
    "drop.yaml": `defaults:
  model: { name: tiny }
  train: { lr: 0.01 }
experiments:
  cnn: {}
  wide: { model: { name: small } }
sweep:
  name: dropout
  mode: zip
  experiments: [wide]
  params: { model.dropout: [0, 0.5], train.lr: [0.1, 0.2] }
seeds: 2
`,
  }, (dir) => {
    const config = loadConfig(join(dir, "drop.yaml"), project);
    assert.equal(config.name, "drop");
    assert.deepEqual(config.runs.map((r) => r.name), [
      "cnn-seed=0",
      "cnn-seed=1",
      "wide-dropout=0-lr=0.1-seed=0",
      "wide-dropout=0-lr=0.1-seed=1",
      "wide-dropout=0.5-lr=0.2-seed=0",
      "wide-dropout=0.5-lr=0.2-seed=1",
    ]);
    const run = config.runs[4];
    assert.equal(run.experiment, "wide");
    assert.equal(run.seed, 0);
    assert.deepEqual(run.sweep, {
      name: "dropout",
      values: { "model.dropout": 0.5, "train.lr": 0.2 },
    });
    assert.deepEqual(run.params, {
      data: { dataset: "digits" },
      model: { name: "small", width: 4, dropout: 0.5 },
      train: { lr: 0.2, batch_size: 32, epochs: 2, optimizer: "sgd" },
      seed: 0,
    });
    assert.deepEqual(config.report, { title: "Report", metrics: ["top1"] });
  });
});

Deno.test("loadConfig() takes the cartesian product in grid mode, block after block", () => {
  withFiles({
    "g.yaml": `name: grid-demo
defaults: { model: { name: small }, train: { lr: 0.01 } }
experiments: { a: {} }
sweep:
  - name: g
    params: { model.dropout: [0, 0.1], train.epochs: [1, 2, 3] }
  - name: clash
    params: { model.width: [2], train.batch_size: [8] }
`,
  }, (dir) => {
    const names = loadConfig(join(dir, "g.yaml"), project).runs.map((r) => r.name);
    assert.deepEqual(names, [
      "a-dropout=0-epochs=1",
      "a-dropout=0-epochs=2",
      "a-dropout=0-epochs=3",
      "a-dropout=0.1-epochs=1",
      "a-dropout=0.1-epochs=2",
      "a-dropout=0.1-epochs=3",
      "a-width=2-batch_size=8",
    ]);
  });
});

Deno.test("loadConfig() shares equal param blocks between runs, frozen, and never unequal ones", () => {
  const listed = {
    runSchema: z.strictObject({
      net: z.strictObject({ layers: z.array(z.int()), drop: z.number().default(0) }),
      opt: z.strictObject({ lr: z.number() }),
    }),
    reportSchema: z.object({}),
  };
  withFiles({
    "s.yaml": `defaults: { net: { layers: [1] }, opt: { lr: 0.1 } }
experiments: { a: {}, b: { net: { layers: [1, 2] } } }
sweep:
  name: g
  experiments: [a]
  params: { net.layers: [[1, 2], [1, 2, 3]], opt.lr: [0.1, 0.2, 0.3] }
`,
  }, (dir) => {
    const runs = loadConfig(join(dir, "s.yaml"), listed).runs;
    const [r0, r1, r2, r3, r4, r5, b] = runs.map((r) => r.params);
    assert.deepEqual(runs.map((r) => r.name).slice(-1), ["b"]);
    assert.deepEqual([r0, r5, b], [
      { net: { layers: [1, 2], drop: 0 }, opt: { lr: 0.1 } },
      { net: { layers: [1, 2, 3], drop: 0 }, opt: { lr: 0.3 } },
      { net: { layers: [1, 2], drop: 0 }, opt: { lr: 0.1 } },
    ]);
    // Equal blocks are one object, in consecutive runs and far apart (another experiment's).
    assert.ok(r0.net === r1.net && r1.net === r2.net && r3.net === r4.net && r4.net === r5.net);
    assert.ok(r0.net === b.net && r0.opt === r3.opt && r0.opt === b.opt && r2.opt === r5.opt);
    // A list that starts like another, or a different value, is its own block.
    assert.notEqual(r2.net, r3.net);
    assert.notEqual(r0.opt, r1.opt);
    assert.ok(Object.isFrozen(r0.net) && Object.isFrozen(r0.net.layers));
    assert.throws(() => (r0.net.layers as number[]).push(4), TypeError);
  });
});

Deno.test("loadConfig() labels a sweep with its full key path when two keys end alike", () => {
  const clashing = {
    runSchema: z.strictObject({
      enc: z.strictObject({ depth: z.int() }),
      dec: z.strictObject({ depth: z.int() }),
    }),
    reportSchema: z.object({}),
  };
  withFiles({
    "c.yaml": `defaults: { enc: { depth: 1 }, dec: { depth: 1 } }
experiments: { a: {} }
sweep: { name: s, mode: zip, params: { enc.depth: [2], dec.depth: [3] } }
`,
  }, (dir) => {
    const [run] = loadConfig(join(dir, "c.yaml"), clashing).runs;
    assert.equal(run.name, "a-enc.depth=2-dec.depth=3");
    assert.deepEqual(run.params, { enc: { depth: 2 }, dec: { depth: 3 } });
  });
});

Deno.test("loadConfig() merges an extends chain deeply, the extending file winning", () => {
  withFiles({
    "base.yaml": `description: shared
defaults:
  model: { name: small, width: 8 }
  train: { lr: 0.01, epochs: 5 }
experiments:
  a: { train: { lr: 0.1 } }
report: { title: Base }
seeds: [3]
`,
    "mid.yaml": "extends: base.yaml\nname: mid\ndefaults: { train: { epochs: 7 } }\n",
    "child.yaml": `extends: [./mid.yaml]
defaults: { model: { dropout: 0.25 } }
experiments:
  b: { data: { dataset: letters } }
`,
  }, (dir) => {
    const config = loadConfig(join(dir, "child.yaml"), project);
    assert.equal(config.name, "child", "name is not inherited");
    assert.equal(config.description, "shared");
    assert.deepEqual(config.runs.map((r) => [r.name, r.seed]), [["a", 3], ["b", 3]]);
    assert.deepEqual(config.runs[0].params, {
      data: { dataset: "digits" },
      model: { name: "small", width: 8, dropout: 0.25 },
      train: { lr: 0.1, batch_size: 32, epochs: 7, optimizer: "sgd" },
      seed: 3,
    });
    assert.equal((config.runs[1].params as { data: { dataset: string } }).data.dataset, "letters");
    assert.deepEqual(config.report, { title: "Base", metrics: ["top1"] });
  });
});

Deno.test("loadConfig() hashes content, not formatting", () => {
  const text = "defaults: { model: { name: tiny }, train: { lr: 0.01 } }\nexperiments: { a: {} }\n";
  const spaced =
    "# comment\ndefaults:\n  model:\n    name: tiny\n  train:\n    lr: 0.01\nexperiments:\n  a: {}\n";
  withFiles({ "x.yaml": text, "y.yaml": spaced, "z.yaml": text.replace("0.01", "0.02") }, (dir) => {
    const hash = (f: string) => loadConfig(join(dir, f), { ...project }).hash;
    const [x, y, z] = ["x.yaml", "y.yaml", "z.yaml"].map(hash);
    assert.match(x, /^[0-9a-f]{64}$/);
    assert.notEqual(x, z);
    // Same content but a different file name → different default name → different hash.
    assert.notEqual(x, y);
    Deno.renameSync(join(dir, "y.yaml"), join(dir, "sub.yaml"));
    Deno.mkdirSync(join(dir, "d"));
    Deno.writeTextFileSync(join(dir, "d", "x.yaml"), spaced);
    assert.equal(loadConfig(join(dir, "d", "x.yaml"), project).hash, x);
  });
});

Deno.test("loadConfig() gives one run per experiment with its own seed param when seeds is absent", () => {
  withFiles({
    "s.yaml":
      "defaults: { model: { name: tiny }, train: { lr: 0.01 }, seed: 4 }\nexperiments: { a: {}, b: { seed: 9 } }\n",
  }, (dir) => {
    const runs = loadConfig(join(dir, "s.yaml"), project).runs;
    assert.deepEqual(runs.map((r) => [r.name, r.seed]), [["a", 4], ["b", 9]]);
  });
});

Deno.test("loadConfig() writes list, map and path-like sweep values into run names without quotes or slashes", () => {
  const open = {
    runSchema: z.strictObject({ s: z.record(z.string(), z.unknown()) }),
    reportSchema: z.object({}),
  };
  withFiles({
    "v.yaml": `defaults: { s: {} }
experiments: { a: {} }
sweep:
  name: v
  mode: zip
  params:
    s.schedule: [{ type: step, gamma: 0.1 }, { type: cosine }]
    s.resize: [[32, 32], [64, 64]]
    s.path: ["data/x y", "z"]
`,
  }, (dir) => {
    const names = loadConfig(join(dir, "v.yaml"), open).runs.map((r) => r.name);
    assert.deepEqual(names, [
      "a-schedule=type:step,gamma:0.1-resize=32,32-path=data_x_y",
      "a-schedule=type:cosine-resize=64,64-path=z",
    ]);
  });
});

Deno.test("loadConfig() accepts anchors, merge keys and exponent numbers", () => {
  withFiles({
    "m.yaml": `defaults:
  model: { name: tiny }
  train: &fast { lr: 1e-3, epochs: 1 }
experiments:
  a: {}
  b: { train: { <<: *fast, epochs: 3 } }
`,
  }, (dir) => {
    const runs = loadConfig(join(dir, "m.yaml"), project).runs;
    const train = (i: number) =>
      (runs[i].params as { train: { lr: number; epochs: number } }).train;
    assert.equal(train(0).lr, 0.001);
    assert.deepEqual([train(1).lr, train(1).epochs], [0.001, 3]);
  });
});

Deno.test("loadConfig() names a config inside the cwd by its relative path however it was given", () => {
  // A folder of this repository, so that it is inside the cwd when tests run from the root.
  const fixtures = new URL("../fixtures/pipelines/", import.meta.url).pathname;
  const dir = Deno.makeTempDirSync({ dir: fixtures, prefix: ".tmp-config-" });
  try {
    const name = relative(Deno.cwd(), dir);
    Deno.writeTextFileSync(
      join(dir, "r.yaml"),
      "defaults: { model: { name: tiny }, train: { lr: 0.1 } }\nexperiments: { a: {} }\n",
    );
    const given = [join(dir, "r.yaml"), `./${name}/r.yaml`, `${name}/../${basename(dir)}/r.yaml`];
    const expected = name.startsWith("..") ? join(dir, "r.yaml") : `${name}/r.yaml`;
    assert.deepEqual(given.map((p) => loadConfig(p, project).path), [expected, expected, expected]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
