/**
 * Child-process entry point: reads a {@linkcode StageJob} as one JSON line on stdin, runs the
 * stage, and reports on stdout as lines `\x1e{json}`: `{log}`, `{progress}`, `{error}`. Anything
 * else the stage prints is passed on as log lines by the parent. Exit code 0 means success; it
 * exits early when stdin closes (the parent died).
 * Used when `--jobs` > 1 (or `--isolate`): TF.js state is global and stages are CPU-bound, so
 * concurrent stages need their own processes.
 * @module
 */
import { executeInProcess } from "./execute_stage.ts";
import type { StageJob } from "./execute_stage.ts";

/** Marks protocol lines among whatever else a stage prints. */
export const RECORD_MARK = "\x1e";

const encoder = new TextEncoder();
const send = (message: unknown) =>
  Deno.stdout.writeSync(encoder.encode(`${RECORD_MARK}${JSON.stringify(message)}\n`));

/**
 * Reads the job (the first line of stdin), then keeps reading: stdin reaches its end only when
 * the parent is gone (killed), and then this process must not live on as an orphan.
 */
async function readJobAndWatchParent(onParentGone: () => void): Promise<StageJob> {
  const reader = Deno.stdin.readable.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the parent closed stdin before sending the job");
    text += value;
  }
  (async () => {
    while (!(await reader.read()).done) { /* the parent sends nothing more */ }
    onParentGone();
  })();
  return JSON.parse(text.slice(0, text.indexOf("\n"))) as StageJob;
}

if (import.meta.main) {
  const job = await readJobAndWatchParent(() => Deno.exit(3));
  const controller = new AbortController();
  // SIGTERM from the parent, SIGINT from the terminal (Ctrl-C reaches the whole process group):
  // either asks the stage to stop at its next batch. Repeats are ignored so that the stage can
  // keep its checkpoint; the parent kills this process if it must stop at once.
  const stop = () => controller.abort();
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
  try {
    await executeInProcess(job, {
      log: (line) => send({ log: line }),
      progress: (update) => send({ progress: update }),
      signal: controller.signal,
    });
    Deno.exit(0);
  } catch (error) {
    send({
      error: error instanceof Error ? error.message : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    });
    Deno.exit(1);
  }
}
