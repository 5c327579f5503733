/**
 * run-info.md: the facts of the last pipeline run that produced a report — date, machine, git
 * commit and whether the tree was dirty, versions, each stage's outcome and time, and every
 * run's timings (from run-info.json). They change with every run, so they live in this
 * gitignored sidecar, never in report.md; the pipeline's end-of-run hook writes it.
 * @module
 */
import { cpus } from "node:os";
import { join } from "node:path";
import { formatMetric } from "./format_metric.ts";
import { RUN_INFO_JSON, runTimingsSchema } from "./run_timings.ts";
import { RUN_INFO_MD } from "./sections/provenance_appendix.ts";

/** The state of the git work tree the pipeline ran from. */
export interface GitState {
  commit: string;
  /** Whether tracked files had uncommitted changes (untracked files do not count). */
  dirty: boolean;
}

/** One stage of this invocation, as the engine reports it. */
export interface StageFact {
  id: string;
  /** fresh | restored | run | failed | skipped */
  outcome: string;
  seconds: number;
}

/** Facts of one pipeline invocation. Every field has a default read from this machine. */
export interface RunFacts {
  /** ISO 8601. Default: now. */
  date?: string;
  /** Default: CPU model × count (os-arch). */
  machine?: string;
  /** Default: {@linkcode gitState} of the cwd (null outside a git work tree). */
  git?: GitState | null;
  /** Default: none (the table is left out). */
  stages?: StageFact[];
}

/**
 * The commit checked out in `cwd` and whether tracked files differ from it.
 * @returns null when `cwd` is not in a git work tree or git is not installed
 */
export async function gitState(cwd = Deno.cwd()): Promise<GitState | null> {
  const git = async (...args: string[]) => {
    try {
      const out = await new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "null" })
        .output();
      return out.success ? new TextDecoder().decode(out.stdout) : null;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  };
  const commit = (await git("rev-parse", "HEAD"))?.trim();
  if (!commit) return null;
  const status = await git("status", "--porcelain", "--untracked-files=no");
  return { commit, dirty: status === null ? true : status.trim() !== "" };
}

/** "AMD EPYC × 2 (linux-x86_64)". */
export function machineDescription(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? "unknown CPU";
  return `${model} × ${list.length} (${Deno.build.os}-${Deno.build.arch})`;
}

/**
 * Writes `run-info.md` into a published report folder, from `facts` and the folder's
 * run-info.json (written by the report stage).
 * @returns the path written
 * @throws Error when run-info.json is missing or malformed, naming it
 */
export async function writeRunInfo(reportDir: string, facts: RunFacts = {}): Promise<string> {
  const jsonPath = join(reportDir, RUN_INFO_JSON);
  let timings;
  try {
    timings = runTimingsSchema.parse(JSON.parse(await Deno.readTextFile(jsonPath)));
  } catch (error) {
    throw new Error(
      `Cannot write run-info.md as ${jsonPath} cannot be read: ${(error as Error).message}`,
    );
  }
  const git = facts.git === undefined ? await gitState() : facts.git;
  const lines = [
    "# Run facts",
    "",
    "The last pipeline run that published this report, on this machine. Not committed: these",
    "change with every run; report.md holds only what the cached results determine.",
    "",
    "| | |",
    "| --- | --- |",
    `| Date | ${facts.date ?? new Date().toISOString()} |`,
    `| Machine | ${facts.machine ?? machineDescription()} |`,
    `| Git commit | ${
      git ? `\`${git.commit}\`${git.dirty ? " (uncommitted changes)" : ""}` : "—"
    } |`,
    `| Deno | ${Deno.version.deno} |`,
    "",
    "## Runs",
    "",
    "Timings as the cached train and evaluate outputs recorded them (a run restored from the",
    "cache keeps the timings of the machine that trained it).",
    "",
    "| Run | Backend | Train time | Train images/s | Test images/s |",
    "| --- | --- | ---: | ---: | ---: |",
    ...timings.runs.map((r) =>
      `| ${r.run} | ${r.backend} | ${formatMetric("seconds", r.train_seconds)} | ` +
      `${formatMetric("rate", r.train_images_per_sec)} | ${
        formatMetric("rate", r.eval_images_per_sec)
      } |`
    ),
  ];
  if (facts.stages && facts.stages.length > 0) {
    lines.push(
      "",
      "## Stages of this run",
      "",
      "| Stage | Outcome | Time |",
      "| --- | --- | ---: |",
      ...facts.stages.map((s) =>
        `| ${s.id} | ${s.outcome} | ${formatMetric("seconds", s.seconds)} |`
      ),
    );
  }
  const path = join(reportDir, RUN_INFO_MD);
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}
