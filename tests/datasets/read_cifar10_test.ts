import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeCifar10Batch, readCifar10, readTarGz } from "../../tasks/datasets/mod.ts";
import {
  cifarBatch,
  cifarMembers,
  cyclicLabels,
  gzip,
  pixel,
  tarBytes,
  writeTree,
} from "../fixtures/datasets/make_fixtures.ts";

async function writeArchive(dir: string, members: [string, Uint8Array][]): Promise<string> {
  const path = join(dir, "cifar-10-binary.tar.gz");
  await Deno.writeFile(path, gzip(tarBytes(members)));
  return path;
}

Deno.test("decodeCifar10Batch() turns planar RGB records into interleaved NHWC pixels", () => {
  const set = decodeCifar10Batch(cifarBatch(Uint8Array.from([3, 7])), "b");
  assert.equal(set.count, 2);
  assert.deepEqual(set.shape, [32, 32, 3]);
  assert.deepEqual([...set.labels], [3, 7]);
  const at = (n: number, y: number, x: number, k: number) =>
    set.images[((n * 32 + y) * 32 + x) * 3 + k];
  for (const [n, y, x, k] of [[0, 0, 0, 0], [1, 5, 9, 1], [1, 31, 31, 2], [0, 17, 3, 2]]) {
    assert.equal(at(n, y, x, k), pixel(n, y, x, k));
  }
});

Deno.test("decodeCifar10Batch() rejects a size that is not whole records", () => {
  assert.throws(() => decodeCifar10Batch(new Uint8Array(3073 + 100), "data_batch_1.bin"), {
    message: "Cannot read data_batch_1.bin as a CIFAR-10 batch: 3173 bytes is not a whole " +
      "number of 3073-byte records; the file is truncated or not from the binary version",
  });
});

Deno.test("readCifar10() reads the binary tar.gz: 5 train batches joined in order and the test batch", async () => {
  const dir = await Deno.makeTempDir();
  const path = await writeArchive(dir, cifarMembers(4, 3));
  const data = await readCifar10(path);
  assert.equal(data.train.count, 20);
  assert.equal(data.test.count, 3);
  assert.deepEqual([...data.train.labels], [...cyclicLabels(20, 10)]);
  // image 13 is the 2nd record of data_batch_4 and keeps its pixels
  assert.equal(data.train.images[((13 * 32 + 4) * 32 + 6) * 3 + 1], pixel(13, 4, 6, 1));
  assert.equal(data.test.images[((2 * 32 + 1) * 32 + 2) * 3 + 2], pixel(1002, 1, 2, 2));
  assert.equal(data.classNames[9], "truck");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readCifar10() reads the extracted folder the same as the archive", async () => {
  const dir = await Deno.makeTempDir();
  const members = cifarMembers(2, 2);
  const fromTar = await readCifar10(await writeArchive(dir, members));
  await writeTree(join(dir, "x"), members);
  const fromParent = await readCifar10(join(dir, "x"));
  const fromFolder = await readCifar10(join(dir, "x", "cifar-10-batches-bin"));
  assert.deepEqual(fromParent.train.images, fromTar.train.images);
  assert.deepEqual(fromFolder.test.labels, fromTar.test.labels);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readCifar10() names the members missing from the archive", async () => {
  const dir = await Deno.makeTempDir();
  const path = await writeArchive(
    dir,
    cifarMembers(1, 1).filter(([n]) => !n.endsWith("data_batch_3.bin")),
  );
  await assert.rejects(() => readCifar10(path), {
    message: `Cannot read CIFAR-10 from ${path}: missing data_batch_3.bin; expected the binary ` +
      "version (cifar-10-binary.tar.gz or cifar-10-batches-bin/)",
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readTarGz() reports a truncated archive", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "a.tar.gz");
  const whole = gzip(tarBytes(cifarMembers(2, 1)));
  await Deno.writeFile(path, whole.subarray(0, Math.floor(whole.length / 2)));
  await assert.rejects(() => readTarGz(path), (error: Error) => {
    assert.match(
      error.message,
      /^Cannot read .*a\.tar\.gz as tar\.gz: its gzip stream is damaged or truncated/,
    );
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readTarGz() reports a tar cut inside a member even when the gzip stream is whole", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "a.tar.gz");
  const tar = tarBytes([["a.bin", new Uint8Array(2000)]]);
  await Deno.writeFile(path, gzip(tar.subarray(0, 512 + 1024)));
  await assert.rejects(() => readTarGz(path), {
    message: `Cannot read ${path} as tar: truncated inside member a.bin (1024 of 2000 bytes)`,
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readTarGz() rejects a header whose checksum is wrong", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "a.tar.gz");
  const tar = tarBytes([["a.bin", new Uint8Array(10)]]);
  tar[5] ^= 0xff;
  await Deno.writeFile(path, gzip(tar));
  await assert.rejects(() => readTarGz(path), (error: Error) => {
    assert.match(
      error.message,
      /^Cannot read .* as tar: header at byte 0 has checksum \d+, computed \d+; the archive is damaged or not a tar file$/,
    );
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readTarGz() takes member paths from GNU long-name and pax headers and skips folders", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "a.tar.gz");
  const enc = new TextEncoder();
  const longName = "deep/".repeat(30) + "data_batch_1.bin";
  const record = ` path=pax/${"p".repeat(120)}.bin\n`;
  const pax = `${record.length + String(record.length + 3).length}${record}`;
  await Deno.writeFile(
    path,
    gzip(tarBytes([
      ["dir/", new Uint8Array(0), "5"],
      ["././@LongLink", enc.encode(longName + "\0"), "L"],
      ["deep/deep/truncated", Uint8Array.from([1, 2, 3])],
      ["PaxHeader/x", enc.encode(pax), "x"],
      ["pax/short", Uint8Array.from([4])],
      ["plain.bin", Uint8Array.from([5, 6])],
    ])),
  );
  const members = await readTarGz(path);
  assert.deepEqual([...members.keys()], [longName, `pax/${"p".repeat(120)}.bin`, "plain.bin"]);
  assert.deepEqual([...members.get(longName)!], [1, 2, 3]);
  await Deno.remove(dir, { recursive: true });
});
