import { decode } from "jpeg-js";
import type { DecodedDataset, ImageSet } from "./image_set.ts";
import { type FileTree, folderTree, zipTree } from "./_file_tree.ts";
import { tinyImageNetClassNames } from "./class_names.ts";

const TRAIN_IMAGE = /^train\/([^/]+)\/images\/[^/]+\.jpe?g$/i;
const VAL_IMAGE = /^val\/images\/[^/]+\.jpe?g$/i;

/**
 * Reads Tiny ImageNet 200 from `tiny-imagenet-200.zip` or its extracted folder (the one with
 * `wnids.txt`). Labels index the wnids sorted by name (as an ImageFolder would); the test set
 * is the labelled `val/` split, as the published `test/` has no labels.
 *
 * @param progress called with (decoded, total) images
 * @throws Error when a listing file is missing, a wnid is unknown or a JPEG cannot be decoded.
 */
export function readTinyImageNet(
  location: string,
  progress?: (done: number, total: number) => void,
): DecodedDataset {
  const isZip = Deno.statSync(location).isFile;
  const wanted = (p: string) => /(^|\/)(wnids|words)\.txt$|val_annotations\.txt$|\.jpe?g$/i.test(p);
  const tree = isZip ? zipTree(location, wanted) : folderTree(location);
  const wnidsPath = tree.paths.find((p) => /(^|\/)wnids\.txt$/.test(p));
  if (wnidsPath === undefined) {
    throw new Error(
      `Cannot read Tiny ImageNet from ${location}: wnids.txt is missing; expected ` +
        "tiny-imagenet-200.zip or its extracted folder",
    );
  }
  const root = wnidsPath.slice(0, -"wnids.txt".length);
  const text = (name: string) => {
    if (!tree.paths.includes(root + name)) {
      throw new Error(`Cannot read Tiny ImageNet from ${location}: ${root}${name} is missing`);
    }
    return new TextDecoder().decode(tree.read(root + name));
  };
  const wnids = text("wnids.txt").split(/\s+/).filter((w) => w !== "").sort();
  const labelOf = new Map(wnids.map((w, i) => [w, i]));
  const classNames = tinyImageNetClassNames(wnids, text("words.txt"));
  const label = (wnid: string, where: string) => {
    const index = labelOf.get(wnid);
    if (index === undefined) {
      throw new Error(`Cannot read Tiny ImageNet: ${where} names wnid ${wnid}, not in wnids.txt`);
    }
    return index;
  };

  const train: [string, number][] = [];
  for (const path of tree.paths) {
    const match = path.startsWith(root) ? TRAIN_IMAGE.exec(path.slice(root.length)) : null;
    if (match) train.push([path, label(match[1], path)]);
  }
  const val: [string, number][] = [];
  for (const line of text("val/val_annotations.txt").split(/\r?\n/)) {
    const [file, wnid] = line.split("\t");
    if (file && wnid) {
      val.push([`${root}val/images/${file}`, label(wnid, `val_annotations.txt (${file})`)]);
    }
  }
  const known = new Set(tree.paths);
  const unlisted = tree.paths.filter((p) =>
    p.startsWith(root) && VAL_IMAGE.test(p.slice(root.length))
  );
  if (unlisted.length !== val.length || val.some(([p]) => !known.has(p))) {
    const absent = val.find(([p]) => !known.has(p));
    throw new Error(
      `Cannot read Tiny ImageNet from ${location}: val_annotations.txt lists ${val.length} ` +
        `images, val/images holds ${unlisted.length}` + (absent ? ` (missing ${absent[0]})` : ""),
    );
  }
  if (train.length === 0) {
    throw new Error(`Cannot read Tiny ImageNet from ${location}: no train/<wnid>/images/*.JPEG`);
  }
  train.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const total = train.length + val.length;
  let done = 0;
  const decodeAll = (list: [string, number][]): ImageSet =>
    decodeSet(tree, list, () => {
      done++;
      if (done % 1000 === 0 || done === total) progress?.(done, total);
    });
  return { train: decodeAll(train), test: decodeAll(val), classNames };
}

function decodeSet(tree: FileTree, list: [string, number][], tick: () => void): ImageSet {
  let shape: [number, number, number] | null = null;
  let images = new Uint8Array(0);
  const labels = new Int32Array(list.length);
  list.forEach(([path, label], n) => {
    let rgba: { width: number; height: number; data: Uint8Array };
    try {
      rgba = decode(tree.read(path), {
        useTArray: true,
        formatAsRGBA: true,
        tolerantDecoding: false,
      });
    } catch (error) {
      throw new Error(`Cannot decode ${path} as JPEG: ${(error as Error).message}`);
    }
    if (shape === null) {
      shape = [rgba.height, rgba.width, 3];
      images = new Uint8Array(list.length * rgba.height * rgba.width * 3);
    } else if (rgba.height !== shape[0] || rgba.width !== shape[1]) {
      throw new Error(
        `Cannot read ${path}: it is ${rgba.width}×${rgba.height}, the others ${shape[1]}×${
          shape[0]
        }`,
      );
    }
    const pixels = rgba.width * rgba.height;
    const out = n * pixels * 3;
    // RGBA → RGB; grayscale JPEGs come back with R = G = B
    for (let p = 0; p < pixels; p++) {
      images[out + 3 * p] = rgba.data[4 * p];
      images[out + 3 * p + 1] = rgba.data[4 * p + 1];
      images[out + 3 * p + 2] = rgba.data[4 * p + 2];
    }
    labels[n] = label;
    tick();
  });
  return { images, labels, count: list.length, shape: shape ?? [64, 64, 3] };
}
