/**
 * A throwaway single-node Slurm cluster for a test file (`scripts/slurm_test_cluster.sh`), and
 * helpers to run the CLI against it and look at its queue.
 * @module
 */
import { join } from "node:path";

const REPO = new URL("../../../", import.meta.url).pathname;
const SCRIPT = join(REPO, "scripts/slurm_test_cluster.sh");

/** A job as `squeue --states=all` shows it. */
export interface JobRow {
  state: string;
  name: string;
  reason: string;
  partition: string;
}

/** A running test cluster. */
export interface TestCluster {
  dir: string;
  /** `{ SLURM_CONF }`: the environment that points client commands at this cluster. */
  env: Record<string, string>;
  /** Every job the controller still knows, by id. */
  jobs(): Promise<Map<string, JobRow>>;
  /** `scontrol show job -o <id>` as key → value. */
  showJob(id: string): Promise<Record<string, string>>;
  /** Runs a client command (`scontrol release 5`) against this cluster; throws on failure. */
  client(command: string, args: string[]): Promise<string>;
  /** The pid in slurmd's pid file. */
  slurmdPid(): number;
  /** Starts slurmd again (after a test killed it) and waits until the node is back. */
  startSlurmd(): Promise<void>;
  stop(): Promise<void>;
}

async function output(command: string, args: string[], env: Record<string, string>) {
  const result = await new Deno.Command(command, { args, env, stdout: "piped", stderr: "piped" })
    .output();
  const decoder = new TextDecoder();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: decoder.decode(result.stderr),
  };
}

/**
 * Starts a cluster in a temp folder.
 * @returns the cluster, or `{ skip }` with the script's reason when Slurm cannot start on this
 *   machine (exit status 3: not root, packages missing and not installable, a daemon refused).
 * @throws {Error} when the script fails any other way (a broken script must fail the tests).
 */
export async function startTestCluster(): Promise<TestCluster | { skip: string }> {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-slurm-" });
  const started = await output("bash", [SCRIPT, "start", dir], {});
  if (started.code === 3) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    return { skip: started.stderr.trim() };
  }
  if (started.code !== 0) {
    throw new Error(`${SCRIPT} start failed (${started.code}): ${started.stderr}`);
  }
  const env = { SLURM_CONF: join(dir, "slurm.conf") };
  const client = async (command: string, args: string[]) => {
    const result = await output(command, args, env);
    if (result.code !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
    return result.stdout;
  };
  return {
    dir,
    env,
    client,
    async jobs() {
      const text = await client("squeue", [
        "--noheader",
        "--states=all",
        "--format=%i|%T|%j|%r|%P",
      ]);
      const jobs = new Map<string, JobRow>();
      for (const line of text.split("\n").filter((l) => l.trim())) {
        const [id, state, name, reason, partition] = line.trim().split("|");
        jobs.set(id, { state, name, reason, partition });
      }
      return jobs;
    },
    async showJob(id) {
      const text = await client("scontrol", ["show", "job", "-o", id]);
      return Object.fromEntries(
        text.trim().split(/\s+/).map((pair) => {
          const at = pair.indexOf("=");
          return [pair.slice(0, at), pair.slice(at + 1)];
        }),
      );
    },
    slurmdPid: () => Number(Deno.readTextFileSync(join(dir, "slurmd.pid"))),
    async startSlurmd() {
      await client("slurmd", ["-f", env.SLURM_CONF]);
      const end = Date.now() + 30_000;
      while (Date.now() < end) {
        // One line per partition the node is in: the first says it.
        const state = (await output("sinfo", ["-h", "-N", "-o", "%T"], env)).stdout.split("\n")[0];
        if (state === "idle" || state === "mixed" || state === "allocated") return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error("slurmd did not come back within 30 s");
    },
    async stop() {
      const stopped = await output("bash", [SCRIPT, "stop", dir], {});
      if (stopped.code !== 0) throw new Error(`${SCRIPT} stop failed: ${stopped.stderr}`);
    },
  };
}

/** What one CLI process printed. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** Stage id → outcome and where it ran, from the summary table. */
  rows: Record<string, { outcome: string; where: string }>;
  /** Stage id → the Slurm job ids it was submitted as (from the log lines). */
  submitted: Record<string, string>;
}

/** Reads the summary table and the `submitted as slurm job N` lines of a CLI run. */
export function readCliRun(code: number, out: string, err: string): CliRun {
  const rows: CliRun["rows"] = {};
  for (const line of out.split("\n")) {
    const match = line.match(
      /^(\S+)\s+(run|fresh|restored|failed|skipped|submitted|interrupted)\s+\d+\.\ds(?:\s+(.*))?$/,
    );
    if (match) rows[match[1]] = { outcome: match[2], where: match[3] ?? "" };
  }
  const submitted: Record<string, string> = {};
  // Log lines are `[stage] …`, or `[3/7 stage] …` while the pipeline counts its stages.
  for (const match of err.matchAll(/^\[(?:\d+\/\d+ )?(\S+)\] submitted as slurm job (\d+)/gm)) {
    submitted[match[1]] = match[2];
  }
  return { code, out, err, rows, submitted };
}

/** A pattern for the log prefix of `stage` (`[stage] ` or `[3/7 stage] `). */
export function logPrefix(stage: string): string {
  return `\\[(?:\\d+/\\d+ )?${stage.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\] `;
}

/** Waits until `check` resolves true, polling every 100 ms, for at most `ms`. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
