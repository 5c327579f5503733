/**
 * Publishing a stage's outputs to a folder users also work in (`reports/<config>/`): the tool
 * replaces only the files it wrote itself (recorded with their SHA-256 in the folder's
 * `.cnnlab-published.json`), never deletes a file it does not own, keeps a user's edit of one of
 * its files as `<name>.edited.<ext>` instead of overwriting it, and refuses symbolic links and
 * targets outside the publish root. Each file is written beside and renamed into place, and the
 * manifest names both the old and the new hash while a publish is under way, so a kill at any
 * point leaves a folder the next publish completes. See pipelines/README.md, "Publishing".
 * @module
 */
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { FileHash } from "../hashing/hash_tree.ts";
import { hashFile } from "../hashing/hash_tree.ts";
import {
  PUBLISH_MANIFEST,
  type PublishManifest,
  readPublishManifest,
  writePublishManifest,
} from "./publish_manifest.ts";

/** Publishing was refused or failed; `message` says why (no path prefix, no stack needed). */
export class PublishError extends Error {
  override name = "PublishError";
}

/** What a publish did. */
export interface PublishResult {
  /** False when the folder already held every file (nothing was written). */
  changed: boolean;
  /** Human lines about files of the user's that were kept aside: `kept your edited x as y`. */
  notes: string[];
}

/** Options of {@linkcode publishOutputs} and {@linkcode publishedMatches}. */
export interface PublishOptions {
  /** Targets must lie strictly inside this folder (relative to the cwd, or absolute). */
  root: string;
}

async function lstatOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Resolves `target` and checks it: strictly inside `root`, and no folder on the way from the root
 * to the target (nor the target) is a symbolic link or a file.
 * @returns the absolute target folder.
 * @throws {PublishError} naming the offending path.
 */
export async function checkPublishTarget(target: string, root: string): Promise<string> {
  const rootAbs = resolve(root);
  const targetAbs = resolve(target);
  const rel = relative(rootAbs, targetAbs);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new PublishError(`it is not a folder inside the publish root ${root}`);
  }
  let path = rootAbs;
  for (const part of rel.split(sep)) {
    path = join(path, part);
    const info = await lstatOrNull(path);
    if (info === null) break;
    if (info.isSymlink) throw new PublishError(`${path} is a symbolic link; refusing to follow it`);
    if (!info.isDirectory) throw new PublishError(`${path} is a file, not a folder`);
  }
  return targetAbs;
}

/** The SHA-256 of the file at `path`; null when absent. @throws {PublishError} on links/folders. */
async function currentHash(path: string): Promise<string | null> {
  const info = await lstatOrNull(path);
  if (info === null) return null;
  if (info.isSymlink) throw new PublishError(`${path} is a symbolic link; refusing to replace it`);
  if (!info.isFile) throw new PublishError(`${path} is a folder where a file is published`);
  return (await hashFile(path)).sha256;
}

/** Checks that no folder between `folder` and the file `name` in it is a link or a file. */
async function checkParents(folder: string, name: string): Promise<void> {
  let path = folder;
  for (const part of name.split("/").slice(0, -1)) {
    path = join(path, part);
    const info = await lstatOrNull(path);
    if (info === null) return;
    if (info.isSymlink) throw new PublishError(`${path} is a symbolic link; refusing to follow it`);
    if (!info.isDirectory) throw new PublishError(`${path} is a file where a folder is published`);
  }
}

/** `report.md` → `report.edited.md`, then `report.edited-2.md`, … (a name not in `taken`). */
async function backupName(folder: string, name: string, taken: Set<string>): Promise<string> {
  const ext = extname(name);
  const stem = ext ? name.slice(0, -ext.length) : name;
  for (let n = 1;; n++) {
    const candidate = `${stem}.edited${n === 1 ? "" : `-${n}`}${ext}`;
    if (!taken.has(candidate) && (await lstatOrNull(join(folder, candidate))) === null) {
      return candidate;
    }
  }
}

/** The manifest's view: which hashes of each file are the tool's. */
function ownership(manifest: PublishManifest | "damaged" | undefined) {
  const files = typeof manifest === "object" ? manifest.files : {};
  const pending = typeof manifest === "object" ? manifest.pending ?? {} : {};
  return {
    names: new Set([...Object.keys(files), ...Object.keys(pending)]),
    owns: (name: string, sha: string | null) =>
      sha !== null && (files[name] === sha || pending[name] === sha),
  };
}

/**
 * True when `target` holds every file of `files` with its hash, the manifest records exactly
 * them, and no publish is under way (files of the user's beside them do not matter).
 */
export async function publishedMatches(
  target: string,
  files: Record<string, FileHash>,
  options: PublishOptions,
): Promise<boolean> {
  try {
    const folder = await checkPublishTarget(target, options.root);
    const manifest = await readPublishManifest(folder);
    if (typeof manifest !== "object" || manifest.pending || manifest.temps) return false;
    const names = Object.keys(files);
    if (Object.keys(manifest.files).length !== names.length) return false;
    for (const name of names) {
      if (manifest.files[name] !== files[name].sha256) return false;
      if ((await currentHash(join(folder, name))) !== files[name].sha256) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `target` hold the entry's outputs (`files`, copied from `outDir`), touching only what the
 * tool owns: its earlier files are replaced or, when no longer produced, deleted; a file of the
 * user's in the way (unrecorded, or recorded but edited since) is renamed to `<name>.edited.<ext>`
 * first; other files are left alone. Nothing is written when the folder is already up to date.
 * @throws {PublishError} for a target outside the root, symbolic links, files where folders
 *   belong; file system errors (read-only, name too long, disk full) as they are.
 */
export async function publishOutputs(
  outDir: string,
  files: Record<string, FileHash>,
  target: string,
  options: PublishOptions,
): Promise<PublishResult> {
  const folder = await checkPublishTarget(target, options.root);
  await Deno.mkdir(folder, { recursive: true });
  const manifest = await readPublishManifest(folder);
  const { names: ownedNames, owns } = ownership(manifest);
  const wanted = Object.fromEntries(Object.entries(files).map(([n, f]) => [n, f.sha256]));
  const current = new Map<string, string | null>();
  for (const name of new Set([...Object.keys(wanted), ...ownedNames])) {
    await checkParents(folder, name);
    current.set(name, await currentHash(join(folder, name)));
  }
  const writes = Object.keys(wanted).filter((n) => current.get(n) !== wanted[n]);
  const keepAside = writes.filter((n) => current.get(n) !== null && !owns(n, current.get(n)!));
  const deletes = [...ownedNames].filter((n) => !(n in wanted) && owns(n, current.get(n) ?? null));
  const clean = typeof manifest === "object" && !manifest.pending && !manifest.temps &&
    Object.keys(manifest.files).length === Object.keys(wanted).length &&
    Object.keys(wanted).every((n) => manifest.files[n] === wanted[n]);
  const leftovers = typeof manifest === "object" ? manifest.temps ?? [] : [];
  if (writes.length === 0 && deletes.length === 0 && clean) return { changed: false, notes: [] };

  // 1. Intent: every file on disk that is ours, and what it becomes; temp names known up front.
  const temps = Object.fromEntries(writes.map((n) => {
    const dir = dirname(n);
    const base = n.slice(dir === "." ? 0 : dir.length + 1);
    const tmp = `.${base}.${crypto.randomUUID().slice(0, 8)}.cnnlab-tmp`;
    return [n, dir === "." ? tmp : `${dir}/${tmp}`];
  }));
  const ours = Object.fromEntries(
    [...current].filter(([n, sha]) => owns(n, sha)).map(([n, sha]) => [n, sha!]),
  );
  await writePublishManifest(folder, {
    format: 1,
    tool: "cnnlab",
    files: ours,
    pending: wanted,
    temps: [...leftovers, ...Object.values(temps)],
  });
  for (const tmp of leftovers) await removeInside(folder, tmp);
  await removeManifestTemps(folder);

  // 2. Keep the user's files aside, write ours (beside, then renamed), delete ours no longer made.
  const notes: string[] = [];
  const taken = new Set([...Object.keys(wanted), ...ownedNames]);
  for (const name of keepAside) {
    const backup = await backupName(folder, name, taken);
    taken.add(backup);
    await Deno.rename(join(folder, name), join(folder, backup));
    notes.push(`kept the edited ${join(target, name)} as ${join(target, backup)}`);
  }
  for (const name of writes) {
    await Deno.mkdir(dirname(join(folder, name)), { recursive: true });
    await Deno.copyFile(join(outDir, name), join(folder, temps[name]));
    await Deno.rename(join(folder, temps[name]), join(folder, name));
  }
  for (const name of deletes) {
    await Deno.remove(join(folder, name)).catch(() => {});
    await removeEmptyParents(folder, name);
  }

  // 3. Done: the manifest names exactly what the folder now holds of ours.
  await writePublishManifest(folder, { format: 1, tool: "cnnlab", files: wanted });
  return { changed: true, notes };
}

/** Removes `name` (a temp file we recorded) if it is a plain file inside `folder`. */
async function removeInside(folder: string, name: string): Promise<void> {
  const path = resolve(folder, name);
  const rel = relative(folder, path);
  if (rel.startsWith("..") || isAbsolute(rel) || !rel.endsWith(".cnnlab-tmp")) return;
  if ((await lstatOrNull(path))?.isFile) await Deno.remove(path).catch(() => {});
}

/** Removes manifest temp files (`.cnnlab-published.json.<pid>.tmp`) of cut-short publishes. */
async function removeManifestTemps(folder: string): Promise<void> {
  const pattern = new RegExp(`^${PUBLISH_MANIFEST.replaceAll(".", "\\.")}\\.\\d+\\.tmp$`);
  for await (const entry of Deno.readDir(folder)) {
    if (entry.isFile && pattern.test(entry.name) && !entry.name.includes(`.${Deno.pid}.`)) {
      await Deno.remove(join(folder, entry.name)).catch(() => {});
    }
  }
}

/** Removes the now empty folders between `name` and `folder` (never a folder with anything in it). */
async function removeEmptyParents(folder: string, name: string): Promise<void> {
  let dir = dirname(name);
  while (dir !== "." && dir !== "") {
    try {
      await Deno.remove(join(folder, dir)); // fails unless empty
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}
