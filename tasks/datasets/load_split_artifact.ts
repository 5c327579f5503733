import { join } from "node:path";
import { SPLIT_ARTIFACT_FILES as FILES } from "./data_artifact_files.ts";
import type { ChannelStats } from "./channel_stats.ts";
import type { SplitSummary } from "./write_split_artifact.ts";

/**
 * Reads the split stage's output.
 *
 * @param dir the split stage's output folder (`ctx.inputs.split`)
 * @throws Error when an index file is missing or disagrees with `split.json`.
 */
export async function loadSplitArtifact(dir: string): Promise<{
  trainIndex: Int32Array;
  valIndex: Int32Array;
  stats: ChannelStats;
  summary: SplitSummary;
}> {
  const summary = JSON.parse(await Deno.readTextFile(join(dir, FILES.split))) as SplitSummary;
  const trainIndex = fromLittleEndian(await Deno.readFile(join(dir, FILES.trainIndex)));
  const valIndex = fromLittleEndian(await Deno.readFile(join(dir, FILES.valIndex)));
  if (trainIndex.length !== summary.counts.train || valIndex.length !== summary.counts.validation) {
    throw new Error(
      `Cannot load the split artifact in ${dir}: split.json counts ${summary.counts.train}/` +
        `${summary.counts.validation} but the index files hold ${trainIndex.length}/` +
        `${valIndex.length}; the artifact is damaged, delete it to rebuild`,
    );
  }
  return { trainIndex, valIndex, stats: { mean: summary.mean, std: summary.std }, summary };
}

function fromLittleEndian(bytes: Uint8Array): Int32Array {
  if (bytes.length % 4 !== 0) throw new Error(`An index file of ${bytes.length} bytes is damaged`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int32Array.from({ length: bytes.length / 4 }, (_, i) => view.getInt32(i * 4, true));
}
