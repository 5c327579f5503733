import { dirname } from "node:path";
import type { CacheLayout } from "./cache_layout.ts";
import type { FingerprintObject } from "../graph/fingerprint.ts";

/** The last fingerprint seen for a stage id: what "why will it run" compares against. */
export interface StageRecord {
  id: string;
  fingerprint: string;
  object: FingerprintObject;
}

/** Reads the record of a stage id; undefined when the id never completed (or the file is bad). */
export async function readStageRecord(
  layout: CacheLayout,
  id: string,
): Promise<StageRecord | undefined> {
  try {
    const record = JSON.parse(await Deno.readTextFile(layout.record(id))) as StageRecord;
    return record.id === id && record.object ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the record of a stage id (temp file + rename, so readers never see half a file). */
export async function writeStageRecord(layout: CacheLayout, record: StageRecord): Promise<void> {
  const path = layout.record(record.id);
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(record) + "\n");
  await Deno.rename(tmp, path);
}
