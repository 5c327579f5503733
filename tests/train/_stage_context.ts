/** A StageContext for calling stage modules directly in tests, recording logs and progress. */
import type { Json, ProgressUpdate, StageContext } from "../../pipelines/types.ts";

/** What {@link stageContext} needs; dirs must exist. */
export interface TestStageOptions {
  outDir: string;
  workDir?: string;
  inputs?: Record<string, string>;
  params: Json;
  runtime?: Json;
  /** Echo log lines to the console (long real-data runs). Default false. */
  echo?: boolean;
}

/** A context plus the log lines and progress updates the stage sent. */
export function stageContext(o: TestStageOptions): {
  ctx: StageContext;
  logs: string[];
  progress: ProgressUpdate[];
} {
  const logs: string[] = [];
  const progress: ProgressUpdate[] = [];
  const ctx: StageContext = {
    outDir: o.outDir,
    workDir: o.workDir ?? o.outDir,
    inputs: o.inputs ?? {},
    params: o.params,
    runtime: o.runtime ?? null,
    log: (line) => {
      logs.push(line);
      if (o.echo) console.log(line);
    },
    progress: (p) => progress.push(p),
    signal: new AbortController().signal,
  };
  return { ctx, logs, progress };
}

/** Makes `root/name` and returns its path. */
export async function subdir(root: string, name: string): Promise<string> {
  const path = `${root}/${name}`;
  await Deno.mkdir(path, { recursive: true });
  return path;
}
