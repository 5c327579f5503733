/**
 * Child-process entry point: reads a {@linkcode StageJob} as JSON on stdin, runs the stage, and
 * reports on stdout as lines `\x1e{json}`: `{log}`, `{progress}`, `{error}`. Anything else the
 * stage prints is passed on as log lines by the parent. Exit code 0 means success.
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

if (import.meta.main) {
  const job = JSON.parse(await new Response(Deno.stdin.readable).text()) as StageJob;
  const controller = new AbortController();
  Deno.addSignalListener("SIGTERM", () => controller.abort());
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
