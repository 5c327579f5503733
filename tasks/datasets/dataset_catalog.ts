import type { DatasetName } from "./dataset_names.ts";

/** A published file of a data set and the sums it is checked against. */
export interface KnownFile {
  /** File name as published (also its name in every mirror and in the data directory). */
  name: string;
  /** Size in bytes of the published file. */
  bytes: number;
  /** SHA-256 of the published file, when one is known. */
  sha256?: string;
  /** MD5 of the published file: the only sum some authors publish (CIFAR-10, Tiny ImageNet). */
  md5?: string;
  /** Other byte-exact packagings known to hold the same data (e.g. Debian's recompressed copy). */
  alternates?: { sha256: string; bytes: number; note: string }[];
  /** SHA-256 of the decompressed content (IDX files), the same whatever the gzip header says. */
  contentSha256?: string;
  /** Size in bytes of the decompressed content (IDX files). */
  contentBytes?: number;
}

/** Everything cnnlab knows about where a data set comes from. */
export interface DatasetCatalogEntry {
  dataset: DatasetName;
  title: string;
  /** Files to download; a file's URL is a mirror base followed by its name. */
  files: KnownFile[];
  /** Base URLs, canonical first, tried in order. */
  mirrors: string[];
  /** Folders known to hold the files on some systems (Debian packages). */
  systemDirs: string[];
  /** One line on how to get the data by hand. */
  howToGet: string;
}

const MNIST: DatasetCatalogEntry = {
  dataset: "mnist",
  title: "MNIST (LeCun, Cortes, Burges)",
  files: [
    {
      name: "train-images-idx3-ubyte.gz",
      bytes: 9912422,
      md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873",
      sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
      contentSha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      contentBytes: 47040016,
    },
    {
      name: "train-labels-idx1-ubyte.gz",
      bytes: 28881,
      md5: "d53e105ee54ea40749a09fcbcd1e9432",
      sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
      contentSha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      contentBytes: 60008,
    },
    {
      name: "t10k-images-idx3-ubyte.gz",
      bytes: 1648877,
      md5: "9fb629c4189551a2d022fa330f9573f3",
      sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
      contentSha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      contentBytes: 7840016,
    },
    {
      name: "t10k-labels-idx1-ubyte.gz",
      bytes: 4542,
      md5: "ec29112dd5afa0611ce80d1b7f02629c",
      sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
      contentSha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
      contentBytes: 10008,
    },
  ],
  mirrors: [
    "https://yann.lecun.com/exdb/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
  ],
  systemDirs: [],
  howToGet: "download the four .gz files from yann.lecun.com/exdb/mnist/ into ./data/mnist/",
};

// Zalando publishes only MD5 sums. Debian's dataset-fashion-mnist recompressed the files (the
// gzip header lost the file name, 23-24 bytes), so its SHA-256 differs from the originals'; the
// decompressed IDX content is identical, which contentSha256 pins.
const FASHION_MNIST: DatasetCatalogEntry = {
  dataset: "fashion-mnist",
  title: "Fashion-MNIST (Zalando Research)",
  files: [
    {
      name: "train-images-idx3-ubyte.gz",
      bytes: 26421880,
      md5: "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
      alternates: [{
        sha256: "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
        bytes: 26421856,
        note: "Debian dataset-fashion-mnist",
      }],
      contentSha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
      contentBytes: 47040016,
    },
    {
      name: "train-labels-idx1-ubyte.gz",
      bytes: 29515,
      md5: "25c81989df183df01b3e8a0aad5dffbe",
      alternates: [{
        sha256: "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
        bytes: 29491,
        note: "Debian dataset-fashion-mnist",
      }],
      contentSha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
      contentBytes: 60008,
    },
    {
      name: "t10k-images-idx3-ubyte.gz",
      bytes: 4422102,
      md5: "bef4ecab320f06d8554ea6380940ec79",
      alternates: [{
        sha256: "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
        bytes: 4422079,
        note: "Debian dataset-fashion-mnist",
      }],
      contentSha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
      contentBytes: 7840016,
    },
    {
      name: "t10k-labels-idx1-ubyte.gz",
      bytes: 5148,
      md5: "bb300cfdad3c16e7a12a480ee83cd310",
      alternates: [{
        sha256: "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
        bytes: 5125,
        note: "Debian dataset-fashion-mnist",
      }],
      contentSha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
      contentBytes: 10008,
    },
  ],
  mirrors: [
    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
  ],
  systemDirs: ["/usr/share/datasets/fashion-mnist"],
  howToGet: "apt-get install dataset-fashion-mnist (Debian), or download the four .gz files " +
    "from github.com/zalandoresearch/fashion-mnist into ./data/fashion-mnist/",
};

const CIFAR10: DatasetCatalogEntry = {
  dataset: "cifar10",
  title: "CIFAR-10 (Krizhevsky, Nair, Hinton), binary version",
  files: [{
    name: "cifar-10-binary.tar.gz",
    bytes: 170052171,
    md5: "c32a1d4ab5d03f1284b67883e8d87530",
  }],
  mirrors: ["https://www.cs.toronto.edu/~kriz/"],
  systemDirs: [],
  howToGet: "download cifar-10-binary.tar.gz (the binary version) from " +
    "www.cs.toronto.edu/~kriz/cifar.html into ./data/cifar10/",
};

const TINY_IMAGENET: DatasetCatalogEntry = {
  dataset: "tiny-imagenet",
  title: "Tiny ImageNet 200 (Stanford CS231n)",
  files: [{
    name: "tiny-imagenet-200.zip",
    bytes: 248100043,
    md5: "90528d7ca1a48142e341f4ef8d21d0de",
  }],
  mirrors: ["http://cs231n.stanford.edu/"],
  systemDirs: [],
  howToGet: "download tiny-imagenet-200.zip from cs231n.stanford.edu into ./data/tiny-imagenet/ " +
    "(the zip or its extracted folder)",
};

/** Published files, mirrors and system locations of every data set. */
export const DATASET_CATALOG: Record<DatasetName, DatasetCatalogEntry> = {
  "mnist": MNIST,
  "fashion-mnist": FASHION_MNIST,
  "cifar10": CIFAR10,
  "tiny-imagenet": TINY_IMAGENET,
};
