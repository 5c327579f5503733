import { basename, join } from "node:path";
import type { DecodedDataset, ImageSet } from "./image_set.ts";
import { FIXED_CLASS_NAMES } from "./class_names.ts";
import { readTarGz } from "./read_tar_gz.ts";
import { concatImageSets } from "./concat_image_sets.ts";
import { pathExists } from "./_path_exists.ts";

const SIDE = 32;
const PIXELS = SIDE * SIDE;
const RECORD = 1 + 3 * PIXELS;
const TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const TEST_FILE = "test_batch.bin";

/**
 * Decodes one file of the CIFAR-10 binary version: records of 1 label byte followed by
 * 1024 red, 1024 green and 1024 blue bytes (row-major 32×32), into NHWC uint8 images.
 *
 * @throws Error when the size is not a whole number of 3073-byte records or a label is > 9.
 */
export function decodeCifar10Batch(bytes: Uint8Array, what: string): ImageSet {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new Error(
      `Cannot read ${what} as a CIFAR-10 batch: ${bytes.length} bytes is not a whole number ` +
        `of ${RECORD}-byte records; the file is truncated or not from the binary version`,
    );
  }
  const count = bytes.length / RECORD;
  const images = new Uint8Array(count * PIXELS * 3);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const record = n * RECORD;
    const label = bytes[record];
    if (label > 9) {
      throw new Error(
        `Cannot read ${what}: record ${n} has label ${label}, CIFAR-10 labels are 0..9`,
      );
    }
    labels[n] = label;
    const out = n * PIXELS * 3;
    // planar RRR…GGG…BBB → interleaved RGBRGB…
    for (let p = 0; p < PIXELS; p++) {
      images[out + 3 * p] = bytes[record + 1 + p];
      images[out + 3 * p + 1] = bytes[record + 1 + PIXELS + p];
      images[out + 3 * p + 2] = bytes[record + 1 + 2 * PIXELS + p];
    }
  }
  return { images, labels, count, shape: [SIDE, SIDE, 3] };
}

/** The folder holding the batch files: `location` itself or its `cifar-10-batches-bin/`. */
export async function cifar10BatchDir(location: string): Promise<string> {
  return await pathExists(join(location, TEST_FILE))
    ? location
    : join(location, "cifar-10-batches-bin");
}

/**
 * Reads CIFAR-10 from `cifar-10-binary.tar.gz` or from its extracted folder (the folder
 * holding `data_batch_1.bin`, or its parent with `cifar-10-batches-bin/`).
 *
 * @throws Error naming the missing members, or any decoding error.
 */
export async function readCifar10(
  location: string,
  progress?: (doneBytes: number) => void,
): Promise<DecodedDataset> {
  const wanted = new Set([...TRAIN_FILES, TEST_FILE]);
  const files = new Map<string, Uint8Array>();
  if ((await Deno.stat(location)).isFile) {
    const members = await readTarGz(location, { keep: (p) => wanted.has(basename(p)), progress });
    for (const [path, bytes] of members) files.set(basename(path), bytes);
  } else {
    const dir = await cifar10BatchDir(location);
    for (const name of wanted) {
      if (await pathExists(join(dir, name))) files.set(name, await Deno.readFile(join(dir, name)));
    }
  }
  const missing = [...wanted].filter((name) => !files.has(name));
  if (missing.length > 0) {
    throw new Error(
      `Cannot read CIFAR-10 from ${location}: missing ${missing.join(", ")}; ` +
        `expected the binary version (cifar-10-binary.tar.gz or cifar-10-batches-bin/)`,
    );
  }
  const train = concatImageSets(TRAIN_FILES.map((n) => decodeCifar10Batch(files.get(n)!, n)));
  const test = decodeCifar10Batch(files.get(TEST_FILE)!, TEST_FILE);
  return { train, test, classNames: [...FIXED_CLASS_NAMES.cifar10] };
}
