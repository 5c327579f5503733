import assert from "node:assert/strict";
import { join } from "node:path";
import { readTinyImageNet } from "../../tasks/datasets/mod.ts";
import {
  classColor,
  tinyImageNetMembers,
  writeTinyImageNetZip,
  writeTree,
} from "../fixtures/datasets/make_fixtures.ts";

const WNIDS = ["n03000003", "n01000001", "n02000002"];

function assertColor(images: Uint8Array, n: number, side: number, rgb: number[]) {
  for (const p of [0, side * side - 1]) {
    for (let k = 0; k < 3; k++) {
      const got = images[(n * side * side + p) * 3 + k];
      assert.ok(Math.abs(got - rgb[k]) <= 3, `image ${n} channel ${k}: ${got} vs ${rgb[k]}`);
    }
  }
}

Deno.test("readTinyImageNet() reads the zip: sorted wnids as labels, words.txt names, val as test", async () => {
  const dir = await Deno.makeTempDir();
  const zip = await writeTinyImageNetZip(dir, tinyImageNetMembers(WNIDS, 3, 2));
  const seen: number[] = [];
  const data = readTinyImageNet(zip, (done) => seen.push(done));
  assert.deepEqual(data.classNames, ["thing1", "thing2", "thing0"]);
  assert.equal(data.train.count, 9);
  assert.equal(data.test.count, 6);
  assert.deepEqual(data.train.shape, [8, 8, 3]);
  assert.deepEqual([...data.train.labels], [0, 0, 0, 1, 1, 1, 2, 2, 2]);
  // the test set keeps the order of val_annotations.txt
  assert.deepEqual([...data.test.labels], [2, 2, 0, 0, 1, 1]);
  assertColor(data.train.images, 4, 8, classColor(1));
  assertColor(data.test.images, 5, 8, classColor(1));
  assert.deepEqual(seen, [15]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readTinyImageNet() reads the extracted folder the same as the zip", async () => {
  const dir = await Deno.makeTempDir();
  const members = tinyImageNetMembers(WNIDS, 2, 1);
  const fromZip = readTinyImageNet(await writeTinyImageNetZip(dir, members));
  await writeTree(join(dir, "x"), members);
  const fromFolder = readTinyImageNet(join(dir, "x", "tiny-imagenet-200"));
  assert.deepEqual(fromFolder.train.images, fromZip.train.images);
  assert.deepEqual(fromFolder.test.labels, fromZip.test.labels);
  assert.deepEqual(fromFolder.classNames, fromZip.classNames);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readTinyImageNet() names the image that is not a JPEG", async () => {
  const dir = await Deno.makeTempDir();
  const members = tinyImageNetMembers(WNIDS, 2, 1);
  members["tiny-imagenet-200/train/n02000002/images/n02000002_1.JPEG"] = new TextEncoder().encode(
    "not a jpeg",
  );
  const zip = await writeTinyImageNetZip(dir, members);
  assert.throws(() => readTinyImageNet(zip), (error: Error) => {
    assert.match(
      error.message,
      /^Cannot decode tiny-imagenet-200\/train\/n02000002\/images\/n02000002_1\.JPEG as JPEG: /,
    );
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readTinyImageNet() reports a truncated zip", async () => {
  const dir = await Deno.makeTempDir();
  const zip = await writeTinyImageNetZip(dir, tinyImageNetMembers(WNIDS, 2, 1));
  const bytes = await Deno.readFile(zip);
  await Deno.writeFile(zip, bytes.subarray(0, bytes.length - 200));
  assert.throws(() => readTinyImageNet(zip), (error: Error) => {
    assert.match(
      error.message,
      /^Cannot read .*tiny-imagenet-200\.zip as zip: .*; the archive is damaged or truncated, delete it and fetch it again$/,
    );
    return true;
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readTinyImageNet() rejects a validation label that is not in wnids.txt", async () => {
  const dir = await Deno.makeTempDir();
  const members = tinyImageNetMembers(WNIDS, 1, 1);
  members["tiny-imagenet-200/val/val_annotations.txt"] = new TextEncoder().encode(
    "val_0.JPEG\tn09999999\t0\t0\t1\t1\n",
  );
  const zip = await writeTinyImageNetZip(dir, members);
  assert.throws(() => readTinyImageNet(zip), {
    message:
      "Cannot read Tiny ImageNet: val_annotations.txt (val_0.JPEG) names wnid n09999999, not in wnids.txt",
  });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readTinyImageNet() says wnids.txt is missing when given some other folder", async () => {
  const dir = await Deno.makeTempDir();
  assert.throws(() => readTinyImageNet(dir), {
    message: `Cannot read Tiny ImageNet from ${dir}: wnids.txt is missing; expected ` +
      "tiny-imagenet-200.zip or its extracted folder",
  });
  await Deno.remove(dir, { recursive: true });
});
