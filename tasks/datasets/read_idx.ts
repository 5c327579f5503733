/** An IDX array of unsigned bytes: its dimensions and its data (a view, not a copy). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** IDX magic numbers of the files cnnlab reads: uint8 data with 1 or 3 dimensions. */
export const IDX_LABELS_MAGIC = 2049;
export const IDX_IMAGES_MAGIC = 2051;

/**
 * Parses an uncompressed IDX file (the MNIST format) holding unsigned bytes.
 *
 * @param bytes the whole file
 * @param expectedMagic 2049 for labels, 2051 for images
 * @param what the file's name, used in error messages
 * @throws Error when the magic number is wrong or the size disagrees with the header.
 */
export function readIdx(bytes: Uint8Array, expectedMagic: number, what: string): IdxArray {
  if (bytes.length < 4) {
    throw new Error(`Cannot read ${what} as IDX: the file has ${bytes.length} bytes, no header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new Error(
      `Cannot read ${what} as IDX: wrong magic number ${magic} (0x${hex(magic)}), ` +
        `expected ${expectedMagic} (0x${hex(expectedMagic)}); is it the right file?`,
    );
  }
  const rank = magic & 0xff;
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`Cannot read ${what} as IDX: truncated header (${bytes.length} bytes)`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    throw new Error(
      `Cannot read ${what} as IDX: the header says ${dims.join("×")} = ${expected} bytes of data ` +
        `but ${actual} follow; the file is ${actual < expected ? "truncated" : "too long"}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes) };
}

function hex(n: number): string {
  return n.toString(16).padStart(8, "0");
}
