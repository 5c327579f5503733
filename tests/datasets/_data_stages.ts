/**
 * Runs the data and split stage modules directly, with params planned as the pipeline would.
 * @module
 */
import type { DatasetName } from "../../tasks/datasets/dataset_names.ts";
import { splitOptionsSchema } from "../../tasks/datasets/options_schemas.ts";
import { run as runData } from "../../tasks/stages/data_stage.ts";
import { run as runSplit } from "../../tasks/stages/split_stage.ts";
import { dataStageNode, stageContext } from "../_stage_harness.ts";

/** A finished stage's output folder and what it logged; `cleanup()` removes its folders. */
export interface RanStage {
  outDir: string;
  logs: string[];
  cleanup(): Promise<void>;
}

/** Plans and runs the data stage for `dataset` at `path` in temp folders. */
export async function dataStage(dataset: DatasetName, path: string): Promise<RanStage> {
  const outDir = await Deno.makeTempDir({ prefix: "cnnlab-data-" });
  const cacheDir = await Deno.makeTempDir({ prefix: "cnnlab-cache-" });
  const node = await dataStageNode(dataset, path, cacheDir);
  const { ctx, logs } = await stageContext(node.params, { outDir, uses: node.uses });
  const cleanup = async () => {
    await Deno.remove(outDir, { recursive: true });
    await Deno.remove(cacheDir, { recursive: true });
  };
  try {
    await runData(ctx);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { outDir, logs, cleanup };
}

/** Runs the split stage with `split:` options (defaults applied as in a config) on `dataDir`. */
export async function splitStage(options: unknown, dataDir: string): Promise<RanStage> {
  const outDir = await Deno.makeTempDir({ prefix: "cnnlab-split-" });
  const { ctx, logs } = await stageContext(splitOptionsSchema.parse(options), {
    outDir,
    inputs: { data: dataDir },
  });
  await runSplit(ctx);
  return { outDir, logs, cleanup: () => Deno.remove(outDir, { recursive: true }) };
}
