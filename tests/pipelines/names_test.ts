import assert from "node:assert/strict";
import { join } from "node:path";
import { z } from "zod";
import { runCli } from "../../pipelines/cli/cli.ts";
import { loadConfig } from "../../pipelines/config/load_config.ts";
import { nameProblem } from "../../pipelines/config/safe_name.ts";
import { createFakeProject } from "../fixtures/pipelines/fake_project.ts";

const BODY = "defaults: { model: { name: tiny }, train: { lr: 0.1 } }\nexperiments: { a: {} }\n";

/**
 * Runs `run <file>` in a folder that also holds another config's report and a file of the user's,
 * and checks that nothing was created, run or deleted.
 */
async function runRefused(fileName: string, text: string) {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-names-" });
  try {
    Deno.mkdirSync(join(dir, "reports", "other"), { recursive: true });
    Deno.writeTextFileSync(join(dir, "reports", "other", "report.md"), "other\n");
    Deno.writeTextFileSync(join(dir, "keep.txt"), "keep\n");
    const path = join(dir, fileName);
    Deno.writeTextFileSync(path, text);
    const err: string[] = [];
    const out: string[] = [];
    const code = await runCli(
      createFakeProject({ publishRoot: join(dir, "reports") }),
      ["run", path, "--cache-dir", join(dir, "cache")],
      { out: (t) => out.push(t), err: (t) => err.push(t) },
    );
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(left, ["keep.txt", fileName, "reports"].sort(), "nothing created or deleted");
    assert.deepEqual([...Deno.readDirSync(join(dir, "reports"))].map((e) => e.name), ["other"]);
    assert.deepEqual(out, []);
    return { code, err: err.map((e) => e.replaceAll(`${dir}/`, "")) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const LONG = "n".repeat(300);

// `name:` values: each is refused with exit 2 at its line and column, before anything runs.
const BAD_NAMES: [string, string, string][] = [
  ['".."', "'..' is the parent folder's name", '".."'],
  ['"."', "'.' is the current folder's name", '"."'],
  ['""', "it is empty", '""'],
  ['"a\\0b"', "it contains the control character \\u0000", '"a\\u0000b"'],
  ['"line\\nbreak"', "it contains the control character \\u000a", '"line\\nbreak"'],
  ['"reports/x"', "names may not contain spaces, '/', '\\', '=', '*' or '?'", '"reports/x"'],
  ['"a\\\\b"', "names may not contain spaces, '/', '\\', '=', '*' or '?'", '"a\\\\b"'],
  ['".hidden"', "it starts with '.' (a hidden file's name)", '".hidden"'],
  ['"x."', "it ends with '.', which some file systems drop", '"x."'],
  ['"NUL"', "'NUL' is a device name on Windows", '"NUL"'],
  [
    `"${LONG}"`,
    "it is 300 bytes long: at most 100 fit every file system",
    `"${LONG.slice(0, 56)}...`,
  ],
  [
    `"${"é".repeat(60)}"`,
    "it is 120 bytes long: at most 100 fit every file system",
    `"${"é".repeat(56)}...`,
  ],
];

for (const [yaml, problem, shown] of BAD_NAMES) {
  Deno.test(`name: ${yaml.slice(0, 20)} is refused with exit 2 before anything runs`, async () => {
    const { code, err } = await runRefused("a.yaml", `name: ${yaml}\n${BODY}`);
    assert.equal(code, 2);
    assert.deepEqual(err, [
      `Cannot read a.yaml:1:7 as 'name' is not an allowed name: ${problem}: current value is ${shown}`,
    ]);
  });
}

// File stems give the name when there is no `name:`.
const BAD_STEMS: [string, string, string][] = [
  ["...yaml", '".."', "'..' is the parent folder's name"],
  ["..yaml", '"."', "'.' is the current folder's name"],
  [".yaml", '".yaml"', "it starts with '.' (a hidden file's name)"],
  ["my config.yaml", '"my config"', "names may not contain spaces, '/', '\\', '=', '*' or '?'"],
  ["tab\there.yaml", '"tab\\there"', "it contains the control character \\u0009"],
  [
    `${"x".repeat(200)}.yaml`,
    `"${"x".repeat(56)}...`,
    "it is 200 bytes long: at most 100 fit every file system",
  ],
];

for (const [file, shown, problem] of BAD_STEMS) {
  Deno.test(`a config file named ${JSON.stringify(file.slice(0, 20))} without 'name:' is refused with exit 2`, async () => {
    const { code, err } = await runRefused(file, BODY);
    assert.equal(code, 2);
    assert.deepEqual(err, [
      `Cannot read ${file}:1:1 as the file name gives the config name ${shown}, which is not an allowed name: ${problem}; give the config a 'name:'`,
    ]);
  });
}

Deno.test("a file with a bad stem is accepted once it has a good 'name:'", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-names-" });
  try {
    const path = join(dir, "...yaml");
    Deno.writeTextFileSync(path, `name: fine\n${BODY}`);
    assert.equal(loadConfig(path, createFakeProject()).name, "fine");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("experiment and sweep names follow the same rule, with the line of the offending key", async () => {
  const cases: [string, string][] = [
    [
      "defaults: { model: { name: tiny }, train: { lr: 0.1 } }\nexperiments: { ..: {} }\n",
      "Cannot read a.yaml:2:16 as 'experiments...' is not an allowed name: '..' is the parent folder's name",
    ],
    [
      `defaults: { model: { name: tiny }, train: { lr: 0.1 } }\nexperiments: { a: {} }\nsweep: { name: "s\\x01", params: { train.lr: [0.1, 0.2] } }\n`,
      "Cannot read a.yaml:3:16 as 'sweep.name' is not an allowed name: it contains the control character \\u0001: current value is \"s\\u0001\"",
    ],
  ];
  for (const [text, message] of cases) {
    const { code, err } = await runRefused("a.yaml", text);
    assert.equal(code, 2);
    assert.deepEqual(err, [message]);
  }
});

Deno.test("a run name made too long by its sweep values is refused at the sweep block", async () => {
  const experiment = "e".repeat(95);
  const text =
    `defaults: { model: { name: tiny }, train: { lr: 0.1 } }\nexperiments: { ${experiment}: {} }\n` +
    "sweep: { name: s, params: { train.lr: [0.123456789012345], train.batch_size: [123456789012345], " +
    "train.epochs: [987654321098765], model.dropout: [0.987654321098765], train.optimizer: [adam] } }\n";
  const { code, err } = await runRefused("a.yaml", text);
  assert.equal(code, 2);
  assert.equal(err.length, 1);
  assert.match(
    err[0],
    /^Cannot read a\.yaml:3:8 as run name "e{56}\.\.\. \(from sweep 's'\) is not an allowed name: it is 2\d\d bytes long: at most 200 fit every file system; shorten the experiment name or the sweep's values$/,
  );
});

Deno.test("sweep values with separators or control characters become '_' in run names", () => {
  const dir = Deno.makeTempDirSync({ prefix: "cnnlab-names-" });
  try {
    const path = join(dir, "a.yaml");
    Deno.writeTextFileSync(
      path,
      `experiments: { a: {} }\nsweep: { name: s, params: { label: ["x/y", "p\\\\q", "t\\tu", "n\\u0000m", "..", "a b"] } }\n`,
    );
    const project = {
      runSchema: z.strictObject({ label: z.string().default("") }),
      reportSchema: z.object({}),
    };
    const names = loadConfig(path, project).runs.map((r) => r.name);
    assert.deepEqual(names, [
      "a-label=x_y",
      "a-label=p_q",
      "a-label=t_u",
      "a-label=n_m",
      "a-label=..",
      "a-label=a_b",
    ]);
    for (const name of names) {
      assert.equal(nameProblem(name, { maxBytes: 200, runName: true }), undefined, name);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
