import type { Json, ProgressUpdate, StageContext } from "../../pipelines/types.ts";

/** A StageContext as the engine would give it, recording log lines and progress reports. */
export async function stageContext(
  params: Json,
  inputs: Record<string, string> = {},
): Promise<StageContext & { lines: string[]; reports: ProgressUpdate[] }> {
  const lines: string[] = [];
  const reports: ProgressUpdate[] = [];
  return {
    outDir: await Deno.makeTempDir(),
    workDir: await Deno.makeTempDir(),
    inputs,
    params,
    runtime: null,
    log: (line) => lines.push(line),
    progress: (p) => reports.push(p),
    signal: new AbortController().signal,
    lines,
    reports,
  };
}
