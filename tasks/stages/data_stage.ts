/**
 * The data stage: reads the data set the planner located (downloading it first when no local
 * copy existed), checks that the files are the ones planned, verifies them against the
 * published sums, and writes the compact data artifact (flat uint8 images and labels +
 * meta.json). Uses: `reader`, the data set's reader module (see datasets/dataset_reader.ts).
 * @module
 */
import type { StageContext } from "../../pipelines/types.ts";
import { canonicalJson } from "../../pipelines/hashing/canonical_json.ts";
import { readerFromModule } from "../datasets/dataset_reader.ts";
import { datasetMeta } from "../datasets/dataset_meta.ts";
import { downloadDataset } from "../datasets/download_dataset.ts";
import { type Checksums, fileChecksums } from "../datasets/file_checksums.ts";
import { findDatasetFiles } from "../datasets/find_dataset_files.ts";
import { sourceDigest } from "../datasets/source_digest.ts";
import { writeDataArtifact } from "../datasets/write_data_artifact.ts";
import type { DataStageParams } from "./stage_params.ts";

/** Runs the data stage; see the module doc. */
export async function run(ctx: StageContext<DataStageParams>): Promise<void> {
  const { dataset, source, known } = ctx.params;
  const reader = readerFromModule(ctx.uses.reader);
  const started = performance.now();
  let location = source.location;
  if (source.kind === "download") {
    await downloadDataset({
      files: known,
      mirrors: source.mirrors,
      dir: source.location,
      log: ctx.log,
      progress: ctx.progress,
      signal: ctx.signal,
    });
    const found = await findDatasetFiles(dataset, source.location);
    if (!found.found) {
      throw new Error(
        `Cannot read ${dataset} after downloading into ${source.location}: it ${found.why}`,
      );
    }
    location = found.location;
  }
  const paths = await reader.sourceFiles(location);
  const sums: Record<string, Checksums> = {};
  for (const path of paths) sums[path] = await fileChecksums(path);
  if (source.kind !== "download") {
    const now = await sourceDigest(location, paths, (path) => Promise.resolve(sums[path].sha256));
    if (canonicalJson(now) !== canonicalJson(source.digest)) {
      throw new Error(
        `Cannot read ${dataset} from ${location}: its files changed after the pipeline was planned; run it again`,
      );
    }
  }
  const decoded = await reader.readDataset(location, {
    dataset,
    known,
    sums,
    progress: ctx.progress,
  });
  const meta = datasetMeta(dataset, decoded);
  await writeDataArtifact(ctx.outDir, { train: decoded.train, test: decoded.test, meta });
  for (const file of decoded.files) {
    ctx.log(`${file.name}: ${file.bytes} bytes, sha256 ${file.sha256}, verified: ${file.verified}`);
  }
  const [h, w, c] = meta.shape;
  ctx.log(
    `${dataset}: ${meta.counts.train} train + ${meta.counts.test} test images of ` +
      `${h}×${w}×${c}, ${meta.classNames.length} classes, from ${location} (${source.kind}) ` +
      `in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
