import { gunzipSync } from "node:zlib";

/**
 * Inflates gzip data with the runtime's native zlib, or returns the bytes unchanged when they
 * do not start with the gzip magic (so uncompressed copies of the same files are read too).
 *
 * @throws Error naming `what` when the stream is damaged or truncated.
 */
export function gunzipIfNeeded(bytes: Uint8Array, what: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    const out = gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    throw new Error(
      `Cannot decompress ${what} as its gzip stream is damaged or truncated ` +
        `(${(error as Error).message}): delete the file and fetch it again`,
    );
  }
}
