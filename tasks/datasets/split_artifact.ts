import { join } from "node:path";
import { SPLIT_ARTIFACT_FILES as FILES } from "./data_artifact_files.ts";
import type { ChannelStats } from "./channel_stats.ts";

/** `split.json` of the split artifact. */
export interface SplitSummary {
  seed: number;
  validation: number;
  stratified: boolean;
  limit: number | null;
  fraction: number | null;
  counts: { train: number; validation: number; test: number };
  per_class: { train: number[]; validation: number[] };
  /** Per-channel mean and std of the train part, pixels on the [0, 1] scale. */
  mean: number[];
  std: number[];
}

/** Writes the split stage's output: both index files (int32 little-endian) and `split.json`. */
export async function writeSplitArtifact(
  dir: string,
  split: { trainIndex: Int32Array; valIndex: Int32Array; summary: SplitSummary },
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(join(dir, FILES.trainIndex), littleEndian(split.trainIndex));
  await Deno.writeFile(join(dir, FILES.valIndex), littleEndian(split.valIndex));
  await Deno.writeTextFile(join(dir, FILES.split), JSON.stringify(split.summary, null, 2) + "\n");
}

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

function littleEndian(index: Int32Array): Uint8Array {
  const bytes = new Uint8Array(index.length * 4);
  const view = new DataView(bytes.buffer);
  index.forEach((v, i) => view.setInt32(i * 4, v, true));
  return bytes;
}

function fromLittleEndian(bytes: Uint8Array): Int32Array {
  if (bytes.length % 4 !== 0) throw new Error(`An index file of ${bytes.length} bytes is damaged`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int32Array.from({ length: bytes.length / 4 }, (_, i) => view.getInt32(i * 4, true));
}
