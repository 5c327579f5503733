/**
 * The contract of a data set reader: one module per published format, whose code is the code a
 * data stage runs, so the planner hands the MNIST data stage only the IDX reader and editing the
 * Tiny ImageNet reader never touches its key.
 * @module
 */
import type { Checksums } from "./file_checksums.ts";
import type { KnownFile } from "./dataset_catalog.ts";
import type { DatasetName } from "./dataset_names.ts";
import type { DecodedDataset, SourceFile } from "./image_set.ts";

/** Options of {@linkcode DatasetReader.readDataset}. */
export interface ReadDatasetOptions {
  dataset: DatasetName;
  /** The published files and their sums, to judge each original against. */
  known: readonly KnownFile[];
  /** Sums already computed for the files the reader reads (absolute path → sums): not read twice. */
  sums?: Readonly<Record<string, Checksums>>;
  progress?: (p: { done: number; total: number; unit: string; note?: string }) => void;
}

/** A decoded data set and how each original file was checked. */
export interface ReadDataset extends DecodedDataset {
  files: SourceFile[];
}

/** What every `read_*_source.ts` module exports. */
export interface DatasetReader {
  /** The files reading `location` reads (absolute paths, sorted). */
  sourceFiles(location: string): Promise<string[]>;
  /** Decodes the data set at `location`. @throws Error naming the file and what is wrong. */
  readDataset(location: string, options: ReadDatasetOptions): Promise<ReadDataset>;
}

/**
 * The reader in a module namespace handed to a stage (`ctx.uses.reader`).
 * @throws Error when the namespace is not a reader (a planner bug, named plainly).
 */
export function readerFromModule(namespace: unknown): DatasetReader {
  const m = namespace as Partial<DatasetReader>;
  if (typeof m?.sourceFiles !== "function" || typeof m?.readDataset !== "function") {
    throw new Error("Cannot read the data set: the module handed to the stage is not a reader");
  }
  return { sourceFiles: m.sourceFiles, readDataset: m.readDataset };
}
