/**
 * The data stage: finds, verifies and decodes a data set, and writes it as the compact data
 * artifact (flat uint8 images and labels + meta.json). Params: the `data:` config section.
 * @module
 */
import type { StageContext } from "../../pipelines/types.ts";
import { dataOptionsSchema } from "../datasets/options_schemas.ts";
import { parseStageParams } from "../datasets/parse_stage_params.ts";
import { loadDataset } from "../datasets/load_dataset.ts";
import { writeDataArtifact } from "../datasets/write_data_artifact.ts";

/** Runs the data stage; see the module doc. */
export async function run(ctx: StageContext): Promise<void> {
  const options = parseStageParams("data", dataOptionsSchema, ctx.params);
  const started = performance.now();
  const { train, test, meta } = await loadDataset({
    ...options,
    log: ctx.log,
    progress: ctx.progress,
    signal: ctx.signal,
  });
  await writeDataArtifact(ctx.outDir, { train, test, meta });
  const [h, w, c] = meta.shape;
  ctx.log(
    `${meta.dataset}: ${meta.counts.train} train + ${meta.counts.test} test images of ` +
      `${h}×${w}×${c}, ${meta.classNames.length} classes, from ${meta.source.location} ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
