import { ConfigError, configError } from "./config_error.ts";

/** Largest config file read (bytes). Configs are small; the cap keeps a wrong path (a device, a
 * data file) from being read until memory runs out. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** The offset of the first byte that is not part of valid UTF-8, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte → sequence length and the allowed range of the second byte (no overlongs, no
    // surrogates, nothing above U+10FFFF).
    let length: number, low = 0x80, high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k < length; k++) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** 1-based line and column (in characters) of byte `offset` in valid-UTF-8-up-to-there bytes. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1, lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, col };
}

function describeKind(info: Deno.FileInfo): string {
  if (info.isDirectory) return "it is a folder, not a config file";
  return "it is not a regular file (a device, a pipe or a socket)";
}

/**
 * Reads a config file as text: it must be a regular file of at most {@linkcode MAX_CONFIG_BYTES}
 * holding UTF-8 (a leading byte order mark is dropped).
 * @throws {ConfigError} `Cannot read <file> as …`, with line and column for a bad byte.
 */
export function readConfigText(file: string): string {
  const fail = (reason: string): never => {
    throw new ConfigError(`Cannot read ${file} as ${reason}`);
  };
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(file);
  } catch (error) {
    return fail(error instanceof Deno.errors.NotFound ? "it does not exist" : errorText(error));
  }
  if (!info.isFile) fail(describeKind(info));
  const tooBig = (size: string) =>
    fail(`it is ${size}: config files are at most ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
  if (info.size > MAX_CONFIG_BYTES) tooBig(`${(info.size / 1024 / 1024).toFixed(1)} MiB`);
  let bytes: Uint8Array;
  try {
    // Read in chunks, at most one chunk past the cap, whatever stat said (a file may be growing,
    // and /proc files report size 0).
    using handle = Deno.openSync(file, { read: true });
    const chunks: Uint8Array[] = [];
    let length = 0;
    while (length <= MAX_CONFIG_BYTES) {
      const chunk = new Uint8Array(1 << 16);
      const n = handle.readSync(chunk);
      if (n === null) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
    }
    if (length > MAX_CONFIG_BYTES) tooBig(`over ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`);
    bytes = new Uint8Array(length);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return fail(errorText(error));
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    fail("it is UTF-16 text: save it as UTF-8");
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const hex = bytes[bad].toString(16).toUpperCase().padStart(2, "0");
    throw configError(
      { file, ...positionOf(bytes, bad) },
      `it is not UTF-8 text (byte 0x${hex}): save it as UTF-8`,
    );
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw configError({ file, ...positionOf(bytes, nul) }, "it is not text (it holds a NUL byte)");
  }
  return new TextDecoder().decode(bytes);
}

/** An OS error without Deno's call details. */
function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/(\(os error \d+\)).*$/s, "$1").trim();
}
