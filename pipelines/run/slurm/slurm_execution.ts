import type { SubmitOptions } from "../stage_executor.ts";
import type { StageExecution } from "../stage_executor.ts";
import type { TaskResult } from "../task_result.ts";
import { ENDED_STATES, type QueuedJob } from "./slurm_commands.ts";
import { type JobPaths, readJson } from "./slurm_job.ts";

/** Lines of a failed job's log quoted in its error message. */
const TAIL_LINES = 20;

/** Polls a job may be missing from the queue, with no result, before it counts as lost. */
const MISSING_POLLS = 3;

/** The last `count` lines of a file (empty when it does not exist). */
export async function tailOfFile(path: string, count: number): Promise<string[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(-count);
}

/**
 * One stage's Slurm job, watched by its executor's poll loop: streams the job's log lines and
 * progress to the pipeline, logs its state changes (`slurm job 17 running on node3`), and
 * settles its result from the result file the node writes, or, when the job ended without one
 * (killed, timed out, cancelled, node failure), from the queue's final state.
 */
export class SlurmExecution implements StageExecution {
  readonly label: string;
  readonly result: Promise<TaskResult>;
  #resolve!: (result: TaskResult) => void;
  #current: { state: "queued" | "running" | "ended"; detail?: string } = { state: "queued" };
  #shown = "";
  #logOffset = 0;
  #partial = "";
  #decoder = new TextDecoder();
  #progress = "";
  #missing = 0;
  #endedPolls = 0;
  #begun = performance.now();

  constructor(
    readonly job: string,
    readonly paths: JobPaths,
    readonly options: Pick<SubmitOptions, "log" | "progress">,
    readonly cancelJob: (job: string) => Promise<void>,
  ) {
    this.label = `slurm job ${job}`;
    this.result = new Promise((resolve) => this.#resolve = resolve);
  }

  state(): { state: "queued" | "running" | "ended"; detail?: string } {
    return this.#current;
  }

  cancel(): Promise<void> {
    if (this.#current.state === "ended") return Promise.resolve();
    return this.cancelJob(this.job).catch((error) =>
      this.options.log(`cannot cancel ${this.label}: ${(error as Error).message}`)
    );
  }

  logTail(lines: number): Promise<string[]> {
    return tailOfFile(this.paths.log, lines);
  }

  /** Whether the result has settled. */
  get ended(): boolean {
    return this.#current.state === "ended";
  }

  /**
   * One poll: `queued` is the queue's view of the job (undefined when the queue no longer
   * lists it, or could not be asked: `reachable` false).
   */
  async update(queued: QueuedJob | undefined, reachable: boolean): Promise<void> {
    if (this.ended) return;
    await this.#streamLog();
    await this.#streamProgress();
    const result = await readJson<TaskResult>(this.paths.result);
    if (result?.outcome !== undefined) return await this.#finish(result, queued);
    if (!reachable) return;
    if (queued === undefined) {
      if (++this.#missing >= MISSING_POLLS) {
        await this.#finish(await this.#lost("is no longer known to Slurm"), queued);
      }
      return;
    }
    this.#missing = 0;
    if (ENDED_STATES.has(queued.state)) {
      // The result file may still be on its way through a shared file system's caches.
      if (++this.#endedPolls >= 2) await this.#finish(await this.#endedWithout(queued), queued);
      return;
    }
    const running = queued.state === "RUNNING" || queued.state === "COMPLETING";
    this.#current = running
      ? { state: "running", detail: queued.nodes }
      : { state: "queued", detail: queued.reason };
    const shown = running
      ? `${this.label} running on ${queued.nodes}`
      : `${this.label} ${queued.state.toLowerCase()}${
        queued.reason && queued.reason !== "None" ? ` (${queued.reason})` : ""
      }`;
    if (shown !== this.#shown) this.options.log(shown);
    this.#shown = shown;
  }

  async #streamLog(): Promise<void> {
    let file;
    try {
      file = await Deno.open(this.paths.log, { read: true });
    } catch {
      return;
    }
    try {
      // A log that shrank was started over (a cluster that truncates on requeue): read it anew.
      if ((await file.stat()).size < this.#logOffset) this.#logOffset = 0;
      await file.seek(this.#logOffset, Deno.SeekMode.Start);
      const chunks: Uint8Array[] = [];
      const buffer = new Uint8Array(1 << 16);
      while (true) {
        const n = await file.read(buffer);
        if (n === null) break;
        chunks.push(buffer.slice(0, n));
        this.#logOffset += n;
      }
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);
      // One decoder in streaming mode: a character split across two polls stays whole.
      const text = this.#partial + this.#decoder.decode(bytes, { stream: true });
      const lines = text.split("\n");
      this.#partial = lines.pop()!;
      for (const line of lines) this.options.log(line);
    } finally {
      file.close();
    }
  }

  async #streamProgress(): Promise<void> {
    const text = await Deno.readTextFile(this.paths.progress).catch(() => "");
    if (!text || text === this.#progress) return;
    this.#progress = text;
    try {
      this.options.progress(JSON.parse(text));
    } catch {
      // Half a file cannot happen (temp file + rename); anything else is not progress.
    }
  }

  async #endedWithout(queued: QueuedJob): Promise<TaskResult> {
    const started = await Deno.stat(this.paths.log).then(() => true, () => false);
    if (queued.state === "CANCELLED" && !started) {
      const why = queued.reason && queued.reason !== "None" ? ` (${queued.reason})` : "";
      return { outcome: "skipped", seconds: 0, error: `${this.label} was cancelled${why}` };
    }
    const why = queued.reason && queued.reason !== "None" ? `, ${queued.reason}` : "";
    return await this.#lost(`ended ${queued.state}${why}, without a result`);
  }

  async #lost(how: string): Promise<TaskResult> {
    return {
      outcome: "failed",
      seconds: (performance.now() - this.#begun) / 1000,
      error: `${this.label} ${how}${await this.#quotedLog()}`,
    };
  }

  async #quotedLog(): Promise<string> {
    const tail = await this.logTail(TAIL_LINES);
    if (tail.length === 0) return `\n  its log ${this.paths.log} is empty or missing`;
    return `\n  last lines of ${this.paths.log}:\n${tail.map((l) => `  | ${l}`).join("\n")}`;
  }

  async #finish(result: TaskResult, queued: QueuedJob | undefined): Promise<void> {
    await this.#streamLog();
    if (this.#partial) this.options.log(this.#partial);
    this.#partial = "";
    this.#current = { state: "ended", detail: queued?.state };
    this.options.log(`${this.label} ended: ${result.outcome}`);
    if ("error" in result && result.outcome === "failed" && !result.error.startsWith(this.label)) {
      result = { ...result, error: `${this.label}: ${result.error}${await this.#quotedLog()}` };
    }
    this.#resolve(result);
  }
}
