/**
 * `.cnnlab-published.json`: which files of a publish folder (e.g. `reports/<config>/`) the tool
 * wrote, with the SHA-256 of what it wrote. One home for the format; the publisher writes it and
 * reads it back, other tools (reports, gc) may read it to tell the tool's files from the user's.
 * @module
 */
import { join } from "node:path";

/** The manifest's file name inside the publish folder. */
export const PUBLISH_MANIFEST = ".cnnlab-published.json";

/** The manifest's content. */
export interface PublishManifest {
  format: 1;
  tool: "cnnlab";
  /** Folder-relative '/'-separated path → SHA-256 of the bytes the tool wrote there. */
  files: Record<string, string>;
  /**
   * Present only while a publish is under way (or was cut short): the SHA-256 each file is being
   * replaced with. A file holding either its `files` or its `pending` hash is the tool's.
   */
  pending?: Record<string, string>;
  /** Temp files of the publish under way, removed by the next publish if it was cut short. */
  temps?: string[];
}

function isHashMap(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v));
}

/**
 * Reads the manifest of `folder`: undefined when there is none; `"damaged"` when the file is
 * there but unreadable or malformed (then nothing in the folder counts as the tool's).
 */
export async function readPublishManifest(
  folder: string,
): Promise<PublishManifest | "damaged" | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(join(folder, PUBLISH_MANIFEST));
  } catch (error) {
    return error instanceof Deno.errors.NotFound ? undefined : "damaged";
  }
  try {
    const value = JSON.parse(text);
    const ok = value?.format === 1 && value.tool === "cnnlab" && isHashMap(value.files) &&
      (value.pending === undefined || isHashMap(value.pending)) &&
      (value.temps === undefined ||
        (Array.isArray(value.temps) && value.temps.every((t: unknown) => typeof t === "string")));
    return ok ? value as PublishManifest : "damaged";
  } catch {
    return "damaged";
  }
}

/** Writes the manifest of `folder` atomically (temp file + rename). */
export async function writePublishManifest(
  folder: string,
  manifest: PublishManifest,
): Promise<void> {
  const path = join(folder, PUBLISH_MANIFEST);
  const tmp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(manifest, null, 2) + "\n");
  await Deno.rename(tmp, path);
}
