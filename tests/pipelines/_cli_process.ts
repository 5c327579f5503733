/**
 * The fake project's CLI in a real process (`run_fake_cli.ts`), for tests that send it signals,
 * kill it, or let it run out of memory: output is collected as it arrives, and `waitFor` waits
 * for a line.
 * @module
 */
import type { Sandbox } from "./_sandbox.ts";

const CLI = new URL("../fixtures/pipelines/run_fake_cli.ts", import.meta.url).pathname;

/** A running CLI process. */
export interface CliProcess {
  process: Deno.ChildProcess;
  /** Everything printed so far (stdout and stderr interleaved as they arrived). */
  readonly output: string;
  /** Resolves once `pattern` appears in the output; rejects after `ms`. */
  waitFor(pattern: RegExp | string, ms?: number): Promise<void>;
  /** Waits for the exit; returns the status and the whole output. */
  finished(): Promise<{ code: number; signal: Deno.Signal | null; output: string }>;
}

/** Starts `run_fake_cli.ts <args> --cache-dir <box.cache>` with the sandbox's stages. */
export function startCli(
  box: Sandbox,
  args: string[],
  env: Record<string, string> = {},
): CliProcess {
  const process = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args, "--cache-dir", box.cache],
    env: {
      FAKE_PUBLISH_ROOT: box.publishRoot,
      FAKE_STAGE_DIR: new URL(`file://${box.stages}/`).href,
      NO_COLOR: "1",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const read = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) output += chunk;
  };
  const reading = Promise.all([read(process.stdout), read(process.stderr)]);
  return {
    process,
    get output() {
      return output;
    },
    async waitFor(pattern, ms = 30_000) {
      const end = Date.now() + ms;
      const found = () =>
        typeof pattern === "string" ? output.includes(pattern) : pattern.test(output);
      while (!found()) {
        if (Date.now() > end) throw new Error(`'${pattern}' not seen within ${ms} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async finished() {
      const status = await process.status;
      await reading;
      return { code: status.code, signal: status.signal, output };
    },
  };
}
