/**
 * Exports a past run's trained model from the cache: `model.json` + `weights.bin` (a TF.js
 * layers model) and `preprocessing.json` (tasks/artifacts/preprocessing.ts) in one folder.
 * @module
 */
import { basename, join } from "node:path";
import { z } from "zod";
import { cacheLayout } from "../../pipelines/cache/cache_layout.ts";
import { measuredStages } from "../../pipelines/estimate/measured_stages.ts";
import { writePreprocessing } from "../artifacts/preprocessing.ts";
import { DATA_ARTIFACT_FILES, SPLIT_ARTIFACT_FILES } from "../datasets/data_artifact_files.ts";
import type { DatasetMeta } from "../datasets/image_set.ts";
import type { SplitSummary } from "../datasets/write_split_artifact.ts";
import type { LoadedRun } from "../experiments/load_past_run.ts";

/** The files an export writes; a folder holding anything else is not overwritten. */
export const EXPORT_FILES = ["model.json", "weights.bin", "preprocessing.json"];

const resolvedPreprocess = z.object({
  scale: z.boolean(),
  normalize: z.unknown(),
  resize: z.tuple([z.int(), z.int()]),
  channels: z.union([z.literal(1), z.literal(3)]),
});

/** Finds the output folder of the stage whose outputs had this digest. */
async function stageByDigest(cacheRoot: string, kind: string, digest: string | undefined) {
  const found = (await measuredStages(cacheLayout(cacheRoot))(kind)).find((s) =>
    s.digest === digest
  );
  return found?.outDir;
}

/**
 * Writes the run's model and its preprocessing into `dir` (created; files of an earlier export
 * replaced).
 * @returns the files written.
 * @throws Error when `dir` holds other files, or the run's data or split entries are gone.
 */
export async function exportModel(
  cacheRoot: string,
  run: LoadedRun,
  dir: string,
): Promise<string[]> {
  try {
    const foreign = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) =>
      !EXPORT_FILES.includes(n)
    );
    if (foreign.length > 0) {
      throw new Error(
        `Cannot export into ${dir} as it holds other files (${
          foreign.slice(0, 3).join(", ")
        }): give an empty or new folder`,
      );
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const manifest = JSON.parse(
    await Deno.readTextFile(
      join(cacheLayout(cacheRoot).entry(run.train!.fingerprint!), "manifest.json"),
    ),
  ) as { object: { inputs: Record<string, string> } };
  const what = `run '${run.run.name}'`;
  const dataDir = await stageByDigest(cacheRoot, "data", manifest.object.inputs.data);
  const splitDir = await stageByDigest(cacheRoot, "split", manifest.object.inputs.split);
  if (!dataDir || !splitDir) {
    throw new Error(
      `Cannot export ${what} as the data set or split it was trained on is no longer in the cache: rerun its config with \`deno task pipeline\``,
    );
  }
  const meta = JSON.parse(
    await Deno.readTextFile(join(dataDir, DATA_ARTIFACT_FILES.meta)),
  ) as DatasetMeta;
  const split = JSON.parse(
    await Deno.readTextFile(join(splitDir, SPLIT_ARTIFACT_FILES.split)),
  ) as SplitSummary;
  const preprocess = resolvedPreprocess.safeParse(run.trainInfo.preprocess);
  if (!preprocess.success || !run.trainInfo.input_shape) {
    throw new Error(
      `Cannot export ${what} as its train.json does not record the preprocessing it was trained with (an older cnnlab wrote it): rerun it`,
    );
  }
  await Deno.mkdir(dir, { recursive: true });
  for (const file of ["model.json", "weights.bin"]) {
    await Deno.copyFile(join(run.trainDir, "weights", file), join(dir, file));
  }
  await writePreprocessing(dir, {
    format: 1,
    image_shape: meta.shape,
    model_input: run.trainInfo.input_shape as [number, number, number],
    preprocess: preprocess.data as never,
    stats: { mean: split.mean, std: split.std },
    class_names: meta.classNames,
    dataset: meta.dataset,
    source: {
      config: run.config.path,
      run: run.run.name,
      invocation: run.invocation.id,
      params: run.run.params,
      train_fingerprint: run.train!.fingerprint!,
      evaluate_fingerprint: run.evaluate!.fingerprint!,
    },
    test: { top1: run.metrics.top1, top5: run.metrics.top5, count: run.metrics.count },
  });
  return EXPORT_FILES.map((f) => join(dir, basename(f)));
}
