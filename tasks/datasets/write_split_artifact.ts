import { join } from "node:path";
import { SPLIT_ARTIFACT_FILES as FILES } from "./data_artifact_files.ts";

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

function littleEndian(index: Int32Array): Uint8Array {
  const bytes = new Uint8Array(index.length * 4);
  const view = new DataView(bytes.buffer);
  index.forEach((v, i) => view.setInt32(i * 4, v, true));
  return bytes;
}
