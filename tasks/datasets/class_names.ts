import type { DatasetName } from "./dataset_names.ts";

/** Class names of the data sets whose classes are fixed by their authors, in label order. */
export const FIXED_CLASS_NAMES: Record<Exclude<DatasetName, "tiny-imagenet">, readonly string[]> = {
  "mnist": ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  "fashion-mnist": [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
  ],
  "cifar10": [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
  ],
};

/**
 * Class names in label order. MNIST, Fashion-MNIST and CIFAR-10 have fixed names; Tiny
 * ImageNet's come from its `words.txt`, so pass the data artifact's meta (or anything with
 * `classNames`) for it.
 *
 * @throws Error for Tiny ImageNet without meta, as its names are only known from the data.
 */
export function classNames(
  dataset: DatasetName,
  meta?: { classNames: readonly string[] },
): string[] {
  if (meta !== undefined) return [...meta.classNames];
  if (dataset === "tiny-imagenet") {
    throw new Error(
      "Cannot name the classes of tiny-imagenet without its words.txt: pass the data " +
        "artifact's meta (loadDataArtifact(dir).meta) as the second argument",
    );
  }
  return [...FIXED_CLASS_NAMES[dataset]];
}

/**
 * Names Tiny ImageNet classes from `words.txt` ("wnid<TAB>synonyms, ..."): the first synonym,
 * with the wnid appended when two classes would share it.
 */
export function tinyImageNetClassNames(wnids: readonly string[], wordsTxt: string): string[] {
  const words = new Map<string, string>();
  for (const line of wordsTxt.split(/\r?\n/)) {
    const tab = line.indexOf("\t");
    if (tab > 0) words.set(line.slice(0, tab).trim(), line.slice(tab + 1).split(",")[0].trim());
  }
  const names = wnids.map((id) => words.get(id) ?? id);
  const seen = new Map<string, number>();
  for (const name of names) seen.set(name, (seen.get(name) ?? 0) + 1);
  return names.map((name, i) => (seen.get(name)! > 1 ? `${name} (${wnids[i]})` : name));
}
