import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../../pipelines/cli/cli.ts";
import { ConfigError } from "../../pipelines/config/config_error.ts";
import { loadConfig } from "../../pipelines/config/load_config.ts";
import { BAD_CONFIGS } from "../fixtures/pipelines/bad_configs.ts";
import { createFakeProject } from "../fixtures/pipelines/fake_project.ts";

function writeFiles(files: Record<string, string>): string {
  const dir = Deno.makeTempDirSync({ prefix: "cnnlab-config-" });
  for (const [name, text] of Object.entries(files)) Deno.writeTextFileSync(join(dir, name), text);
  return dir;
}

Deno.test("the malformed config suite has at least twenty cases", () => {
  assert.ok(BAD_CONFIGS.length >= 20, `only ${BAD_CONFIGS.length} cases`);
});

for (const bad of BAD_CONFIGS) {
  Deno.test(`loadConfig() rejects ${bad.name} with one pinned message`, () => {
    const dir = writeFiles(bad.files);
    try {
      assert.throws(
        () => loadConfig(join(dir, "a.yaml"), createFakeProject()),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.message.replaceAll(`${dir}/`, ""), bad.message);
          return true;
        },
      );
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  });
}

Deno.test("runCli() prints the config message and returns exit code 2 without running anything", async () => {
  const bad = BAD_CONFIGS.find((c) => c.name.startsWith("a negative lr"))!;
  const dir = writeFiles(bad.files);
  const errors: string[] = [];
  const out: string[] = [];
  try {
    const code = await runCli(createFakeProject(), [
      "run",
      join(dir, "a.yaml"),
      "--cache-dir",
      join(dir, "cache"),
    ], {
      out: (t) => out.push(t),
      err: (t) => errors.push(t),
    });
    assert.equal(code, 2);
    assert.deepEqual(errors.map((e) => e.replaceAll(`${dir}/`, "")), [bad.message]);
    assert.deepEqual(out, []);
    assert.throws(() => Deno.statSync(join(dir, "cache")), Deno.errors.NotFound);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runCli() returns 2 with a usage hint for bad arguments", async () => {
  const cases: [string[], string][] = [
    [["run"], "Cannot run as no config file was given: pass one, e.g. configs/mnist-all.yaml"],
    [
      ["go", "a.yaml"],
      "Cannot parse the command line as the command must be 'run' or 'status': current value is \"go\"",
    ],
    [
      ["run", "a.yaml", "--jobs", "0"],
      'Cannot run as --jobs must be a positive integer: current value is "0"',
    ],
    [
      ["run", "a.yaml", "--frobnicate"],
      "Cannot parse the command line as '--frobnicate' is not a known option: allowed: 'jobs', 'cache-dir', 'dry-run', 'force', 'only', 'isolate', 'yes', 'help', 'executor', 'partition', 'time', 'mem', 'cpus-per-task', 'gres', 'sbatch-arg', 'detach'",
    ],
    [
      ["run", "a.yaml", "--dryrun"],
      "Cannot parse the command line as '--dryrun' is not a known option: did you mean 'dry-run'?",
    ],
    [["status", "missing.yaml"], "Cannot read missing.yaml as it does not exist"],
  ];
  for (const [args, message] of cases) {
    const errors: string[] = [];
    const code = await runCli(createFakeProject(), args, {
      out: () => {},
      err: (t) => errors.push(t),
    });
    assert.equal(code, 2, args.join(" "));
    assert.equal(errors[0].split("\n")[0], message);
  }
});

Deno.test("runCli() returns 2 with the project's message when its runtime facts refuse the config", async () => {
  const dir = writeFiles({
    "a.yaml": "defaults: { model: { name: tiny }, train: { lr: 0.1 } }\nexperiments: { a: {} }\n",
  });
  const project = {
    ...createFakeProject(),
    runtimeFacts: () =>
      Promise.reject(new Error("Cannot use backend 'webgpu' as no GPU adapter was found")),
  };
  const errors: string[] = [];
  try {
    const code = await runCli(project, ["status", join(dir, "a.yaml")], {
      out: () => {},
      err: (t) => errors.push(t),
    });
    assert.equal(code, 2);
    assert.deepEqual(errors, ["Cannot use backend 'webgpu' as no GPU adapter was found"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
