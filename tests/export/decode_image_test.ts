import assert from "node:assert/strict";
import { encode } from "fast-png";
import jpeg from "jpeg-js";
import { decodeImage, imagePixels } from "../../tasks/export/decode_image.ts";

const png = (width: number, height: number, channels: number, fill = (i: number) => i % 256) =>
  encode({
    width,
    height,
    channels,
    depth: 8,
    data: Uint8Array.from({ length: width * height * channels }, (_, i) => fill(i)),
  });

const MNIST: [number, number, number] = [28, 28, 1];

Deno.test("imagePixels() returns a grayscale PNG's pixels as stored, and drops an opaque alpha channel", () => {
  const gray = decodeImage(png(28, 28, 1), "digit.png");
  assert.deepEqual([gray.width, gray.height, gray.channels], [28, 28, 1]);
  assert.deepEqual(
    imagePixels(gray, MNIST, "digit.png"),
    Uint8Array.from({ length: 784 }, (_, i) => i % 256),
  );
  const withAlpha = decodeImage(png(28, 28, 2, (i) => (i % 2 ? 255 : (i >> 1) % 256)), "a.png");
  assert.deepEqual(
    imagePixels(withAlpha, MNIST, "a.png"),
    Uint8Array.from({ length: 784 }, (_, i) => i % 256),
  );
  // 16-bit samples are brought to 8 bits.
  const deep = encode({
    width: 1,
    height: 1,
    channels: 1,
    depth: 16,
    data: new Uint16Array([65535]),
  });
  assert.deepEqual([...imagePixels(decodeImage(deep, "d.png"), [1, 1, 1], "d.png")], [255]);
});

Deno.test("a JPEG decodes to its declared RGB channels", () => {
  const rgb = jpeg.encode(
    { width: 32, height: 32, data: new Uint8Array(32 * 32 * 4).fill(200) },
    95,
  );
  const decoded = decodeImage(rgb.data, "cat.jpg");
  assert.deepEqual([decoded.width, decoded.height, decoded.channels], [32, 32, 3]);
  assert.ok(imagePixels(decoded, [32, 32, 3], "cat.jpg").every((v) => Math.abs(v - 200) <= 2));
});

Deno.test("bad images get one clear message each: not an image, damaged, wrong size, wrong channels, transparency", () => {
  const cases: [Uint8Array, string][] = [
    [
      new TextEncoder().encode("hello, not an image"),
      "Cannot read x as it is not a PNG or JPEG image",
    ],
    [png(28, 28, 1).slice(0, 40), "Cannot read x as its PNG data is damaged: "],
    [
      png(32, 32, 1),
      "Cannot use x as the model takes 28×28 images with 1 channel (grayscale): it is 32×32",
    ],
    [
      png(28, 28, 3),
      "Cannot use x as the model takes 28×28 images with 1 channel (grayscale): it has 3 channels (RGB); convert it to grayscale",
    ],
    [
      png(28, 28, 4, (i) => (i % 4 === 3 ? 10 : 0)),
      "Cannot use x as the model takes 28×28 images with 1 channel (grayscale): it has 4 channels (RGBA) and transparent pixels; save it without transparency",
    ],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(
      () => imagePixels(decodeImage(bytes, "x"), MNIST, "x"),
      (error: Error) =>
        error.message.startsWith(message) || assert.fail(`${error.message}\n≠ ${message}`),
    );
  }
  assert.throws(
    () => imagePixels(decodeImage(png(32, 32, 1), "g.png"), [32, 32, 3], "g.png"),
    /it has 1 channel \(grayscale\); convert it to RGB$/,
  );
});
