/**
 * Checkpoint files: a JSON header and float32 tensors in one file with a SHA-256 of everything
 * before it, replaced atomically, the previous one kept beside it (`<path>.prev`). A run killed at
 * any moment finds the previous checkpoint or the new one; a damaged file (truncated, bit-flipped,
 * foreign) is detected by its checksum and never trusted.
 *
 * Layout: "CNNLABK2" · u32 LE header length · header JSON (utf-8) · tensor bytes (f32 LE,
 * 4-aligned) · SHA-256 of all the preceding bytes (32 bytes).
 * @module
 */
import { createHash } from "node:crypto";
import { readFile, rename, rm } from "node:fs/promises";
import type { Json } from "./_json.ts";
import type { TensorRecord } from "./create_optimizer.ts";
import { writeFileAtomic } from "../artifacts/write_file_atomic.ts";

const MAGIC = "CNNLABK2";
/** The format before checksums: still recognised, to say why it is not used. */
const OLD_MAGIC = "CNNLABCK";
const DIGEST_BYTES = 32;

/** What a checkpoint holds: any JSON state plus named tensors. */
export interface Checkpoint {
  meta: Json;
  tensors: TensorRecord[];
}

interface HeaderEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

/** A checkpoint file that cannot be trusted; `reason` says why (for the log). */
export class CheckpointDamaged extends Error {
  override name = "CheckpointDamaged";
  constructor(readonly path: string, readonly reason: string) {
    super(`Cannot read checkpoint ${path}: ${reason}`);
  }
}

/** The path of the checkpoint kept from before the latest save. */
export function previousCheckpointPath(path: string): string {
  return `${path}.prev`;
}

function digest(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

/**
 * Writes `checkpoint` to `path` atomically (temporary file + rename), after moving the current
 * checkpoint to `<path>.prev`, so a damaged newest file still leaves a verified one to go back to.
 */
export async function saveCheckpoint(path: string, checkpoint: Checkpoint): Promise<void> {
  let offset = 0;
  const entries: HeaderEntry[] = checkpoint.tensors.map((t) => {
    const e = { name: t.name, shape: t.shape, offset, length: t.values.length };
    offset += t.values.length;
    return e;
  });
  const json = JSON.stringify({ meta: checkpoint.meta, tensors: entries });
  // Pad with spaces (1 byte each in utf-8) so the tensor block starts 4-byte aligned.
  const pad = (4 - ((MAGIC.length + 4 + new TextEncoder().encode(json).length) % 4)) % 4;
  const header = new TextEncoder().encode(json + " ".repeat(pad));
  const start = MAGIC.length + 4 + header.length;
  const end = start + offset * 4;
  const bytes = new Uint8Array(end + DIGEST_BYTES);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, header.length, true);
  bytes.set(header, MAGIC.length + 4);
  const data = new Float32Array(bytes.buffer, start, offset);
  for (const [i, t] of checkpoint.tensors.entries()) data.set(t.values, entries[i].offset);
  bytes.set(digest(bytes.subarray(0, end)), end);
  await rename(path, previousCheckpointPath(path)).catch((e) => {
    if ((e as { code?: string }).code !== "ENOENT") throw e;
  });
  await writeFileAtomic(path, bytes);
}

/**
 * Reads and verifies a checkpoint written by {@link saveCheckpoint}.
 * @returns null when `path` does not exist
 * @throws {CheckpointDamaged} when the file is not a checkpoint, is truncated, or does not match
 *   its checksum
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return null;
    throw e;
  }
  const bad = (why: string) => new CheckpointDamaged(path, why);
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic === OLD_MAGIC) throw bad("an older format without a checksum");
  if (magic !== MAGIC) throw bad("not a checkpoint");
  if (bytes.length < MAGIC.length + 4 + DIGEST_BYTES) {
    throw bad(`truncated at ${bytes.length} bytes`);
  }
  const end = bytes.length - DIGEST_BYTES;
  const expected = bytes.subarray(end);
  const actual = digest(bytes.subarray(0, end));
  if (!actual.every((b, i) => b === expected[i])) {
    throw bad("its content does not match its checksum (truncated or damaged)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4 + headerLength;
  if (start > end) throw bad("its header runs past the end");
  let header: { meta: Json; tensors: HeaderEntry[] };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, start)));
  } catch {
    throw bad("its header is not JSON");
  }
  const total = header.tensors.reduce((n, e) => n + e.length, 0);
  if (end !== start + total * 4) {
    throw bad(`expected ${start + total * 4} bytes of data, found ${end}`);
  }
  // Copy into a fresh aligned buffer: the file buffer's byteOffset may not be 4-aligned (and
  // Node's Buffer#slice would not copy).
  const data = new Float32Array(total);
  new Uint8Array(data.buffer).set(bytes.subarray(start, end));
  const tensors = header.tensors.map((e) => ({
    name: e.name,
    shape: e.shape,
    values: data.slice(e.offset, e.offset + e.length),
  }));
  return { meta: header.meta, tensors };
}

/**
 * The newest checkpoint that verifies and that `accept` takes (e.g. restores into the model
 * without error): `<path>`, else `<path>.prev`. Every file that fails is reported through `warn`
 * and deleted, so a damaged checkpoint is never tried again.
 * @returns the accepted checkpoint and its path, or null (start over).
 */
export async function loadLatestCheckpoint(
  path: string,
  accept: (checkpoint: Checkpoint) => void,
  warn: (line: string) => void,
): Promise<{ checkpoint: Checkpoint; path: string } | null> {
  for (const candidate of [path, previousCheckpointPath(path)]) {
    let checkpoint: Checkpoint | null;
    try {
      checkpoint = await loadCheckpoint(candidate);
      if (checkpoint === null) continue;
      accept(checkpoint);
      return { checkpoint, path: candidate };
    } catch (error) {
      const reason = error instanceof CheckpointDamaged ? error.reason : (error as Error).message;
      warn(`Discarded the checkpoint ${candidate}: ${reason}`);
      await rm(candidate, { force: true });
    }
  }
  return null;
}
