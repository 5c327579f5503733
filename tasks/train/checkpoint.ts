/**
 * Checkpoint files: a JSON header and float32 tensors in one file, replaced atomically, so a run
 * killed at any moment finds either the previous checkpoint or the new one.
 *
 * Layout: "CNNLABCK" · u32 LE header length · header JSON (utf-8) · tensor bytes (f32 LE, 4-aligned).
 * @module
 */
import { readFile } from "node:fs/promises";
import type { Json } from "./_json.ts";
import type { TensorRecord } from "./create_optimizer.ts";
import { writeFileAtomic } from "../artifacts/write_file_atomic.ts";

const MAGIC = "CNNLABCK";

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

/** Writes `checkpoint` to `path` atomically (temporary file + rename). */
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
  const bytes = new Uint8Array(start + offset * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, header.length, true);
  bytes.set(header, MAGIC.length + 4);
  const data = new Float32Array(bytes.buffer, start, offset);
  for (const [i, t] of checkpoint.tensors.entries()) data.set(t.values, entries[i].offset);
  await writeFileAtomic(path, bytes);
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}.
 * @returns null when `path` does not exist
 * @throws when the file is not a checkpoint or is truncated
 */
export async function loadCheckpoint(path: string): Promise<Checkpoint | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return null;
    throw e;
  }
  const bad = (why: string) =>
    new Error(`Cannot read checkpoint ${path}: ${why}; delete it to start the training over`);
  if (new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw bad("not a checkpoint");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const start = MAGIC.length + 4 + headerLength;
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, start))) as {
    meta: Json;
    tensors: HeaderEntry[];
  };
  const total = header.tensors.reduce((n, e) => n + e.length, 0);
  if (bytes.length !== start + total * 4) {
    throw bad(`expected ${start + total * 4} bytes, found ${bytes.length}`);
  }
  // Copy into a fresh aligned buffer: the file buffer's byteOffset may not be 4-aligned (and
  // Node's Buffer#slice would not copy).
  const data = new Float32Array(total);
  new Uint8Array(data.buffer).set(bytes.subarray(start));
  const tensors = header.tensors.map((e) => ({
    name: e.name,
    shape: e.shape,
    values: data.slice(e.offset, e.offset + e.length),
  }));
  return { meta: header.meta, tensors };
}
