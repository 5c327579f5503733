/** The data sets cnnlab can read, in the order the README lists them. */
export const DATASET_NAMES = ["mnist", "fashion-mnist", "cifar10", "tiny-imagenet"] as const;

/** One of {@linkcode DATASET_NAMES}. */
export type DatasetName = typeof DATASET_NAMES[number];
