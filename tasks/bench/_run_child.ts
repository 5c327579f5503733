/** Runs one measurement process of the bench and reads the JSON lines it prints. */

/** What a child process printed and how long it took. */
export interface ChildResult {
  /** Every stdout line that is a JSON object. */
  lines: Record<string, unknown>[];
  /** Everything it printed on stdout. */
  stdout: string;
  /** Wall time from spawn to exit. */
  seconds: number;
  /** Why there is no result (timeout, exit status with the last stderr line), if so. */
  error?: string;
}

/**
 * Runs `command args` with `env` added, killing it after `timeoutSeconds`.
 * @returns its JSON lines and wall time; `error` set when it timed out or printed no JSON.
 */
export async function runChild(
  command: string,
  args: string[],
  options: {
    env?: Record<string, string>;
    timeoutSeconds: number;
    cwd?: string;
    /** Whether it must print JSON (else only its exit status counts). Default true. */
    json?: boolean;
  },
): Promise<ChildResult> {
  const start = performance.now();
  const child = new Deno.Command(command, {
    args,
    env: options.env,
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, options.timeoutSeconds * 1000);
  const out = await child.output();
  clearTimeout(timer);
  const seconds = (performance.now() - start) / 1000;
  const stdout = new TextDecoder().decode(out.stdout);
  const lines = stdout.split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  if (timedOut) {
    return { lines, stdout, seconds, error: `no result within ${options.timeoutSeconds} s` };
  }
  if (!out.success || (lines.length === 0 && options.json !== false)) {
    const last = new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "";
    return { lines, stdout, seconds, error: `exit ${out.code}: ${last}` };
  }
  return { lines, stdout, seconds };
}

/** The machine's 1-minute load average now (Linux), or null. */
export function loadAverage(): number | null {
  try {
    return Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]);
  } catch {
    return null;
  }
}
