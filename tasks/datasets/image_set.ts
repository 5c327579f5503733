import type { DatasetName } from "./dataset_names.ts";

/**
 * Decoded images of one split, kept compact: `count` images of `shape` [h, w, c] stored
 * row-major (NHWC) as uint8 in `images`, and one class index per image in `labels`.
 */
export interface ImageSet {
  images: Uint8Array;
  labels: Int32Array;
  count: number;
  shape: [number, number, number];
}

/** Where the original files of a data set were found. */
export interface DatasetSource {
  /** Which rule found them: `path` (config), `env` (CNNLAB_DATA), `data-dir`, `system`, `download`. */
  kind: "path" | "env" | "data-dir" | "system" | "download";
  /** The file or folder read. */
  location: string;
}

/** One original file that was read, with its checksum and how it was checked. */
export interface SourceFile {
  name: string;
  bytes: number;
  sha256: string;
  /**
   * How it was checked: its published SHA-256 or MD5; `known-sha256`, a known repackaging of
   * the same data (Debian's); `content-sha256`, its decompressed content matches; `unknown`,
   * no sum matched (a fixture or subset: format checks only).
   */
  verified: "published-sha256" | "published-md5" | "known-sha256" | "content-sha256" | "unknown";
  /** Which repackaging matched, for `known-sha256`. */
  note?: string;
}

/** `meta.json` of the data artifact (ARCHITECTURE.md, "Artifacts"). */
export interface DatasetMeta {
  dataset: DatasetName;
  shape: [number, number, number];
  counts: { train: number; test: number };
  classNames: string[];
  sha256: Record<string, string>;
  files: SourceFile[];
  /** Per-class image counts, handy for checks and reports. */
  classCounts: { train: number[]; test: number[] };
}

/** A decoded data set before it is written as an artifact. */
export interface DecodedDataset {
  train: ImageSet;
  test: ImageSet;
  classNames: string[];
}
