import assert from "node:assert/strict";
import { join } from "node:path";
import { findIdxFiles, readIdx, readIdxDataset } from "../../tasks/datasets/mod.ts";
import {
  cyclicLabels,
  gzip,
  idxBytes,
  pixel,
  writeIdxFixture,
} from "../fixtures/datasets/make_fixtures.ts";

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

Deno.test("readIdx() returns the dimensions and the data after the header", () => {
  const data = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i);
  const idx = readIdx(idxBytes(2051, [2, 3, 4], data), 2051, "x");
  assert.deepEqual(idx.dims, [2, 3, 4]);
  assert.deepEqual([...idx.data], [...data]);
});

Deno.test("readIdx() rejects a wrong magic number and says which was expected", () => {
  assert.throws(
    () => readIdx(idxBytes(2049, [3], new Uint8Array(3)), 2051, "train-images"),
    {
      message: "Cannot read train-images as IDX: wrong magic number 2049 (0x00000801), " +
        "expected 2051 (0x00000803); is it the right file?",
    },
  );
});

Deno.test("readIdx() reports a truncated file with the sizes involved", () => {
  const whole = idxBytes(2051, [2, 2, 2], new Uint8Array(8));
  assert.throws(() => readIdx(whole.subarray(0, whole.length - 3), 2051, "f"), {
    message: "Cannot read f as IDX: the header says 2×2×2 = 8 bytes of data but 5 follow; " +
      "the file is truncated",
  });
});

Deno.test("readIdxDataset() decodes gzipped MNIST files into NHWC images and labels", async () => {
  const dir = await Deno.makeTempDir();
  await writeIdxFixture(dir, { train: 12, test: 5, side: 4 });
  const files = await findIdxFiles(dir);
  assert.ok(!("missing" in files));
  const data = await readIdxDataset(files, DIGITS);
  assert.equal(data.train.count, 12);
  assert.equal(data.test.count, 5);
  assert.deepEqual(data.train.shape, [4, 4, 1]);
  assert.equal(data.train.images[3 * 16 + 2 * 4 + 1], pixel(3, 2, 1, 0));
  assert.deepEqual([...data.train.labels], [...cyclicLabels(12, 10)]);
  assert.equal(data.content[files.trainLabels].bytes, 8 + 12);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("findIdxFiles() names the files that are missing", async () => {
  const dir = await Deno.makeTempDir();
  await writeIdxFixture(dir, { train: 2, test: 2 });
  await Deno.remove(join(dir, "t10k-labels-idx1-ubyte.gz"));
  assert.deepEqual(await findIdxFiles(dir), { missing: ["t10k-labels-idx1-ubyte.gz"] });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readIdxDataset() reports a truncated gzip file by name", async () => {
  const dir = await Deno.makeTempDir();
  await writeIdxFixture(dir, { train: 50, test: 5, side: 8 });
  const path = join(dir, "train-images-idx3-ubyte.gz");
  const bytes = await Deno.readFile(path);
  await Deno.writeFile(path, bytes.subarray(0, bytes.length - 40));
  const files = await findIdxFiles(dir);
  assert.ok(!("missing" in files));
  await assert.rejects(() => readIdxDataset(files, DIGITS), (error: Error) => {
    assert.match(
      error.message,
      new RegExp(
        `^Cannot decompress ${path} as its gzip stream is damaged or truncated \\(.+\\): ` +
          "delete the file and fetch it again$",
      ),
    );
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readIdxDataset() rejects images and labels of different counts", async () => {
  const dir = await Deno.makeTempDir();
  await writeIdxFixture(dir, { train: 6, test: 2 });
  await Deno.writeFile(
    join(dir, "train-labels-idx1-ubyte.gz"),
    gzip(idxBytes(2049, [5], new Uint8Array(5))),
  );
  const files = await findIdxFiles(dir);
  assert.ok(!("missing" in files));
  await assert.rejects(() => readIdxDataset(files, DIGITS), {
    message: `Cannot pair ${files.trainImages} (6 images) with ${files.trainLabels} (5 labels)`,
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readIdxDataset() rejects a label outside the classes", async () => {
  const dir = await Deno.makeTempDir();
  await writeIdxFixture(dir, {
    train: 3,
    test: 2,
    labels: (n) => Uint8Array.from({ length: n }, () => 10),
  });
  const files = await findIdxFiles(dir);
  assert.ok(!("missing" in files));
  await assert.rejects(() => readIdxDataset(files, DIGITS), {
    message: `Cannot read ${files.trainLabels}: label 10 at index 0 is out of range 0..9`,
  });
  await Deno.remove(dir, { recursive: true });
});
