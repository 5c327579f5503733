import { MEMORY_REMEDY, oomKillCount, saysOutOfMemory } from "./_out_of_memory.ts";
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
 * several stages can run at once without sharing TF.js state, and a stage that runs out of
 * memory dies alone. Aborting asks the child to stop (SIGTERM), then kills it after 5 s.
 * @throws {Error} with the stage's own error message when the child fails, or saying how it died
 *   (for lack of memory: with the remedy).
 */
export async function executeInChild(job: StageJob, hooks: StageHooks): Promise<void> {
  const oomBefore = oomKillCount();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-webgpu", CHILD],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let escalation: ReturnType<typeof setTimeout> | undefined;
  let killedHere = false;
  // SIGTERM lets the stage stop at its next check of ctx.signal; SIGKILL if it does not.
  const onAbort = () => {
    child.kill("SIGTERM");
    escalation = setTimeout(() => {
      killedHere = true;
      child.kill("SIGKILL");
    }, 5000);
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
  throw new Error(describeFailure({ error, status, tail, killedHere, oomBefore }));
}

/** One message for a failed stage process: its own error, or how it died. */
function describeFailure(failure: {
  error?: string;
  status: Deno.CommandStatus;
  tail: string;
  killedHere: boolean;
  oomBefore?: number;
}): string {
  const { error, status, tail } = failure;
  if (error !== undefined) {
    return saysOutOfMemory(error) ? `${error}: out of memory; ${MEMORY_REMEDY}` : error;
  }
  if (status.signal === "SIGKILL" && !failure.killedHere) {
    const after = oomKillCount();
    const proven = failure.oomBefore !== undefined && after !== undefined &&
      after > failure.oomBefore;
    return proven
      ? `the system's out-of-memory killer stopped the stage process: ${MEMORY_REMEDY}`
      : `the stage process was killed (SIGKILL), most likely by the system for lack of memory: ${MEMORY_REMEDY}`;
  }
  if (saysOutOfMemory(tail)) {
    return `the stage process ran out of memory (${tail.slice(-200)}): ${MEMORY_REMEDY}`;
  }
  return `the stage process exited with code ${status.code}${
    status.signal ? ` (${status.signal})` : ""
  }${tail ? `: ${tail}` : ""}`;
}
