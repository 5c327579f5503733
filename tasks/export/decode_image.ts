/**
 * Reads a PNG or JPEG file into 8-bit interleaved pixels, and checks it against the images a
 * model was trained on, with one clear message per problem.
 * @module
 */
import { decode as decodePng } from "fast-png";
import jpeg from "jpeg-js";

/** A decoded image: 8-bit samples, channels interleaved, rows top to bottom. */
export interface DecodedImage {
  width: number;
  height: number;
  /** 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. */
  channels: number;
  data: Uint8Array;
}

const CHANNEL_NAMES = ["", "grayscale", "grayscale with alpha", "RGB", "RGBA"];

/** `1 channel (grayscale)`. */
function describeChannels(channels: number): string {
  return `${channels} channel${channels === 1 ? "" : "s"} (${CHANNEL_NAMES[channels] ?? "?"})`;
}

/** The number of colour components a JPEG declares in its frame header (SOFn). */
function jpegComponents(bytes: Uint8Array): number | undefined {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) return bytes[at + 9];
    at += 2 + length;
  }
  return undefined;
}

function fromPng(bytes: Uint8Array): DecodedImage {
  const png = decodePng(bytes);
  let channels = png.channels;
  let data: Uint8Array = png.depth === 16
    ? Uint8Array.from(png.data as Uint16Array, (v) => Math.round(v / 257))
    : png.depth === 8
    ? new Uint8Array(png.data)
    : (() => {
      throw new Error(`its bit depth is ${png.depth}: save it with 8 or 16 bits per sample`);
    })();
  if (png.palette) {
    // An indexed-colour PNG: look each index up (the palette's alpha, if any, is dropped).
    const palette = png.palette;
    const rgb = new Uint8Array(png.width * png.height * 3);
    data.forEach((index, i) => rgb.set(palette[index].slice(0, 3), i * 3));
    data = rgb;
    channels = 3;
  }
  return { width: png.width, height: png.height, channels, data };
}

function fromJpeg(bytes: Uint8Array): DecodedImage {
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  const components = jpegComponents(bytes) === 1 ? 1 : 3;
  const stride = image.data.length / (image.width * image.height);
  const data = new Uint8Array(image.width * image.height * components);
  for (let i = 0; i < image.width * image.height; i++) {
    for (let k = 0; k < components; k++) data[i * components + k] = image.data[i * stride + k];
  }
  return { width: image.width, height: image.height, channels: components, data };
}

/**
 * Decodes a PNG or JPEG file's bytes.
 * @throws Error `Cannot read <name> as …` when it is neither, or cannot be decoded.
 */
export function decodeImage(bytes: Uint8Array, name: string): DecodedImage {
  const isPng = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e &&
    bytes[3] === 0x47;
  const isJpeg = bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isPng && !isJpeg) {
    throw new Error(`Cannot read ${name} as it is not a PNG or JPEG image`);
  }
  try {
    return isPng ? fromPng(bytes) : fromJpeg(bytes);
  } catch (error) {
    throw new Error(
      `Cannot read ${name} as its ${isPng ? "PNG" : "JPEG"} data is damaged: ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * The image's pixels as the model's data set stored them: `height × width × channels` bytes.
 * A fully opaque alpha channel is dropped; anything else that differs is refused.
 * @param shape the data set's image shape `[h, w, c]` (preprocessing.json `image_shape`)
 * @throws Error naming the file, what the model expects and what the image is.
 */
export function imagePixels(
  image: DecodedImage,
  shape: readonly number[],
  name: string,
): Uint8Array {
  const [h, w, c] = shape;
  const expects = `the model takes ${h}×${w} images with ${describeChannels(c)}`;
  if (image.height !== h || image.width !== w) {
    throw new Error(`Cannot use ${name} as ${expects}: it is ${image.height}×${image.width}`);
  }
  let { channels, data } = image;
  if (channels === 2 || channels === 4) {
    const colour = channels - 1;
    for (let i = 0; i < h * w; i++) {
      if (data[i * channels + colour] !== 255) {
        throw new Error(
          `Cannot use ${name} as ${expects}: it has ${
            describeChannels(channels)
          } and transparent pixels; save it without transparency`,
        );
      }
    }
    const opaque = new Uint8Array(h * w * colour);
    for (let i = 0; i < h * w; i++) {
      opaque.set(data.subarray(i * channels, i * channels + colour), i * colour);
    }
    data = opaque;
    channels = colour;
  }
  if (channels !== c) {
    const fix = c === 1 ? "convert it to grayscale" : "convert it to RGB";
    throw new Error(
      `Cannot use ${name} as ${expects}: it has ${describeChannels(channels)}; ${fix}`,
    );
  }
  return data;
}
