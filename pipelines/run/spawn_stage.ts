import { RECORD_MARK } from "./stage_child.ts";
import type { StageHooks, StageJob } from "./execute_stage.ts";

const CHILD = new URL("./stage_child.ts", import.meta.url).pathname;

async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  let buffered = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    lines.forEach(onLine);
  }
  if (buffered) onLine(buffered);
}

/**
 * Runs a stage in a child `deno run -A --unstable-webgpu pipelines/stage_child.ts` process, so
 * several stages can run at once without sharing TF.js state. Aborting kills the child.
 * @throws {Error} with the stage's own error message when the child fails or dies.
 */
export async function executeInChild(job: StageJob, hooks: StageHooks): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-webgpu", CHILD],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let escalation: ReturnType<typeof setTimeout> | undefined;
  // SIGTERM lets the stage stop at its next check of ctx.signal; SIGKILL if it does not.
  const onAbort = () => {
    child.kill("SIGTERM");
    escalation = setTimeout(() => child.kill("SIGKILL"), 5000);
  };
  hooks.signal.addEventListener("abort", onAbort);
  let error: string | undefined;
  const stderrTail: string[] = [];
  const writer = child.stdin.getWriter();
  // stdin stays open while the child runs: it closing tells the child that this process died.
  await writer.write(new TextEncoder().encode(JSON.stringify(job) + "\n"));
  await Promise.all([
    readLines(child.stdout, (line) => {
      if (!line.startsWith(RECORD_MARK)) return hooks.log(line);
      const message = JSON.parse(line.slice(RECORD_MARK.length));
      if (message.log !== undefined) hooks.log(message.log);
      else if (message.progress) hooks.progress(message.progress);
      else if (message.error !== undefined) error = message.error;
    }),
    readLines(child.stderr, (line) => {
      hooks.log(line);
      stderrTail.push(line);
      if (stderrTail.length > 5) stderrTail.shift();
    }),
  ]);
  const status = await child.status;
  clearTimeout(escalation);
  await writer.close().catch(() => {});
  hooks.signal.removeEventListener("abort", onAbort);
  if (status.success) return;
  // deno-lint-ignore no-control-regex
  const tail = stderrTail.join(" ").replace(/\x1b\[[0-9;]*m/g, "").trim();
  throw new Error(
    error ??
      `the stage process exited with code ${status.code}${
        status.signal ? ` (${status.signal})` : ""
      }${tail ? `: ${tail}` : ""}`,
  );
}
