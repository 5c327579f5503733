/**
 * A throwaway project folder for engine tests: a copy of the fake stage modules (so tests may
 * edit them), a cache folder, a publish root, and `run()` to call the CLI and read outcomes.
 * @module
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { runCli } from "../../pipelines/cli/cli.ts";
import { explainStages } from "../../pipelines/cli/explain_stages.ts";
import { planPipeline } from "../../pipelines/graph/plan_pipeline.ts";
import type { PlannedStage } from "../../pipelines/graph/stage_graph.ts";
import { silentReporter } from "../../pipelines/cli/progress_reporter.ts";
import { createFakeProject } from "../fixtures/pipelines/fake_project.ts";
import type { FakeProjectOptions } from "../fixtures/pipelines/fake_project.ts";

/** What one CLI call returned. */
export interface SandboxRun {
  code: number;
  /** Stage id → outcome, parsed from the summary (or `state` from status). */
  outcomes: Record<string, string>;
  /** Stage id → the "why" column of status / dry-run. */
  why: Record<string, string>;
  out: string;
  err: string[];
}

/** A temp folder set up for one test. */
export interface Sandbox {
  dir: string;
  cache: string;
  stages: string;
  publishRoot: string;
  write(name: string, text: string): string;
  edit(name: string, change: (text: string) => string): void;
  run(args: string[], project?: FakeProjectOptions): Promise<SandboxRun>;
  [Symbol.asyncDispose](): Promise<void>;
}

const FIXTURE_STAGES = new URL("../fixtures/pipelines/stages/", import.meta.url);

function parseTable(
  out: string,
): { outcomes: Record<string, string>; why: Record<string, string> } {
  const outcomes: Record<string, string> = {};
  const why: Record<string, string> = {};
  for (const line of out.split("\n").slice(2)) {
    const match = line.match(
      /^(\S+)\s+(run|fresh|restored|failed|skipped|will run|will restore)(?:\s+(.*))?$/,
    );
    if (!match) continue;
    outcomes[match[1]] = match[2];
    why[match[1]] = match[3] ?? "";
  }
  return { outcomes, why };
}

/** Creates a sandbox; `await using` removes it. */
export async function createSandbox(): Promise<Sandbox> {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-engine-" });
  const stages = join(dir, "stages");
  await Deno.mkdir(stages);
  for await (const entry of Deno.readDir(FIXTURE_STAGES)) {
    await Deno.copyFile(new URL(entry.name, FIXTURE_STAGES), join(stages, entry.name));
  }
  const sandbox: Sandbox = {
    dir,
    cache: join(dir, "cache"),
    stages,
    publishRoot: join(dir, "reports"),
    write(name, text) {
      const path = join(dir, name);
      Deno.writeTextFileSync(path, text);
      return path;
    },
    edit(name, change) {
      const path = join(dir, name);
      Deno.writeTextFileSync(path, change(Deno.readTextFileSync(path)));
    },
    async run(args, project = {}) {
      const out: string[] = [];
      const err: string[] = [];
      const fake = createFakeProject({
        stageDir: pathToFileURL(stages + "/"),
        publishRoot: sandbox.publishRoot,
        ...project,
      });
      const code = await runCli(fake, [...args, "--cache-dir", sandbox.cache], {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        reporter: silentReporter,
      });
      const text = out.join("\n");
      return { code, out: text, err, ...parseTable(text) };
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
  return sandbox;
}

/** A config with two experiments on two datasets, lr set per experiment. */
export const TWO_RUNS = `defaults:
  model: { name: tiny }
  train: { lr: 0.01, epochs: 2 }
experiments:
  a: { train: { lr: 0.1 } }
  b: { model: { name: small }, data: { dataset: letters }, train: { lr: 0.2 } }
report: { title: Two runs }
`;

/** Counts outcomes: `{ run: 3, fresh: 2 }`. */
export function countOutcomes(outcomes: Record<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of Object.values(outcomes)) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

/**
 * Plans `config` in the sandbox and resolves each stage's fingerprint from the cache as
 * `status` would (undefined for a stage that would run after an input that must run).
 */
export async function planWithFingerprints(
  box: Sandbox,
  config: string,
): Promise<{ stages: PlannedStage[]; fingerprint: (id: string) => string }> {
  const project = createFakeProject({ stageDir: pathToFileURL(box.stages + "/") });
  const layout = cacheLayout(box.cache);
  const { stages } = await planPipeline(project, [config], { cacheDir: box.cache });
  const outcomes = await explainStages(stages, layout);
  const fingerprint = (id: string) => {
    const found = outcomes.find((o) => o.stage.ids.includes(id));
    const fp = found?.assessment.fingerprint;
    if (fp === undefined) throw new Error(`no fingerprint for ${id}`);
    return fp;
  };
  return { stages, fingerprint };
}
