/**
 * The Slurm client commands the executor uses (`sbatch`, `squeue`, `scancel`), run as
 * processes. The cluster is whatever they reach: `SLURM_CONF` and the usual environment apply.
 * @module
 */

/** A job as the queue shows it. */
export interface QueuedJob {
  /** `PENDING`, `RUNNING`, `COMPLETING`, `COMPLETED`, `FAILED`, `CANCELLED`, `TIMEOUT`, … */
  state: string;
  /** Why it is pending or how it ended (`Dependency`, `Resources`, `NonZeroExitCode`). */
  reason: string;
  /** Nodes it runs (or ran) on. */
  nodes: string;
}

/** Job states after which a job never runs again (unless requeued by the cluster). */
export const ENDED_STATES = new Set([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "NODE_FAIL",
  "OUT_OF_MEMORY",
  "BOOT_FAIL",
  "DEADLINE",
  "PREEMPTED",
  "SPECIAL_EXIT",
  "REVOKED",
]);

/** The commands, as an interface so tests and other schedulers' shims can stand in. */
export interface SlurmCommands {
  /** Submits `script` with `args`; returns the job id. */
  sbatch(args: readonly string[], script: string): Promise<string>;
  /** The queue's view of `ids` (jobs it no longer knows are absent). */
  squeue(ids: readonly string[]): Promise<Map<string, QueuedJob>>;
  /** Cancels `ids` (jobs that already ended are ignored). */
  scancel(ids: readonly string[]): Promise<void>;
}

async function run(
  command: string,
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let output;
  try {
    output = await new Deno.Command(command, { args: [...args], stdout: "piped", stderr: "piped" })
      .output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `${command} is not installed here (or not on PATH): cnnlab submits to Slurm with its client commands`,
      );
    }
    throw error;
  }
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout).trim(),
    stderr: decoder.decode(output.stderr).trim(),
  };
}

/** A command's complaint on one line: its lines without the `sbatch: error: ` prefixes. */
function complaint(stderr: string, code: number): string {
  const lines = stderr.split("\n").map((l) => l.trim().replace(/^\w+: (?:error|fatal): /, ""));
  return lines.filter((l) => l).join("; ") || `exit code ${code}`;
}

/** Parses `squeue -o '%i|%T|%r|%N'` lines. */
export function parseQueue(text: string): Map<string, QueuedJob> {
  const jobs = new Map<string, QueuedJob>();
  for (const line of text.split("\n")) {
    const [id, state, reason, nodes] = line.trim().split("|");
    if (id && state) jobs.set(id, { state, reason: reason ?? "", nodes: nodes ?? "" });
  }
  return jobs;
}

/** The real client commands. */
export const slurmCommands: SlurmCommands = {
  async sbatch(args, script) {
    const { code, stdout, stderr } = await run("sbatch", ["--parsable", ...args, script]);
    const id = stdout.split(";")[0].trim();
    if (code !== 0 || !/^\d+$/.test(id)) {
      throw new Error(`sbatch refused the job: ${complaint(stderr, code)}`);
    }
    return id;
  },
  async squeue(ids) {
    if (ids.length === 0) return new Map();
    const { code, stdout, stderr } = await run("squeue", [
      "--noheader",
      "--states=all",
      "--format=%i|%T|%r|%N",
      `--jobs=${ids.join(",")}`,
    ]);
    // squeue exits 1 with "Invalid job id" when it knows none of them any more.
    if (code !== 0 && /Invalid job id/i.test(stderr)) return new Map();
    if (code !== 0) throw new Error(`squeue failed: ${complaint(stderr, code)}`);
    return parseQueue(stdout);
  },
  async scancel(ids) {
    if (ids.length === 0) return;
    const { code, stderr } = await run("scancel", [...ids]);
    if (code !== 0 && !/Invalid job id|already completing or completed/i.test(stderr)) {
      throw new Error(`scancel failed: ${complaint(stderr, code)}`);
    }
  },
};
