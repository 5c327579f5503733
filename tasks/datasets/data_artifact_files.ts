/** File names of the data artifact (ARCHITECTURE.md, "Artifacts"). */
export const DATA_ARTIFACT_FILES = {
  trainImages: "train-images.u8",
  trainLabels: "train-labels.u8",
  testImages: "test-images.u8",
  testLabels: "test-labels.u8",
  meta: "meta.json",
} as const;

/** File names of the split artifact. */
export const SPLIT_ARTIFACT_FILES = {
  trainIndex: "train-index.i32",
  valIndex: "val-index.i32",
  split: "split.json",
} as const;
