/**
 * Whether a tfjs-node package is installed and loads: quick and quiet, nothing is downloaded.
 * @module
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Probe } from "./_probe.ts";
import type { TFJS_NODE_PACKAGES } from "./_tfjs_node_packages.ts";

const PROJECT_ROOT = new URL("../../", import.meta.url);

/**
 * Imports a tfjs-node package when deno.json maps it and it is already installed under
 * node_modules/ (checked first, so an unmapped or uninstalled package never triggers a
 * registry fetch). Importing it registers backend `tensorflow`.
 */
export async function probeTfjsNode(pkg: (typeof TFJS_NODE_PACKAGES)[number]): Promise<Probe> {
  try {
    import.meta.resolve(pkg);
  } catch {
    return { ok: false, reason: `${pkg} is not in the imports of deno.json` };
  }
  const manifest = new URL(`node_modules/${pkg}/package.json`, PROJECT_ROOT);
  if (!existsSync(fileURLToPath(manifest))) {
    return {
      ok: false,
      reason: `${pkg} is mapped in deno.json but not installed (run deno install)`,
    };
  }
  try {
    const specifier: string = pkg;
    const mod = await import(specifier) as { version?: { [k: string]: string } };
    const version = mod.version?.["tfjs-node"] ?? "?";
    return { ok: true, detail: `${pkg} ${version} (libtensorflow)` };
  } catch (e) {
    return { ok: false, reason: `${pkg} failed to load: ${e instanceof Error ? e.message : e}` };
  }
}
