/** Starts backend `tensorflow` (tfjs-node-gpu or tfjs-node, when installed). @module */
import type { BackendChoice } from "./backend_module.ts";
import { TFJS_NODE_INSTALL, TFJS_NODE_PACKAGES } from "./_tfjs_node_packages.ts";
import { selectBackend } from "./_select_backend.ts";

/**
 * Loads the first installed tfjs-node package (which registers `tensorflow`) and selects it.
 * @throws Error with the install command when none loads.
 */
export async function startBackend(): Promise<BackendChoice> {
  const reasons: string[] = [];
  for (const pkg of TFJS_NODE_PACKAGES) {
    try {
      const specifier: string = pkg;
      // cnnlab-tracked-import: a bare package; its name and version are in the runtime facts
      const mod = await import(specifier) as { version?: { [k: string]: string } };
      const detail = `${pkg} ${mod.version?.["tfjs-node"] ?? "?"} (libtensorflow)`;
      await selectBackend("tensorflow", detail);
      return { name: "tensorflow", detail };
    } catch (e) {
      reasons.push(`${pkg}: ${e instanceof Error ? e.message : e}`);
    }
  }
  throw new Error(
    `Cannot use backend 'tensorflow' (${reasons.join("; ")}): to install it, ${TFJS_NODE_INSTALL}`,
  );
}
