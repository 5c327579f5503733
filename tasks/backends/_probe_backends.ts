/**
 * Availability checks for the optional backends. Each is quick and quiet: nothing is
 * downloaded, and a missing package, driver or library is a reason, not an exception.
 * @module
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Outcome of a probe: available with a description, or not with the reason and the fix. */
export type Probe = { ok: true; detail: string } | { ok: false; reason: string };

const PROJECT_ROOT = new URL("../../", import.meta.url);

/** The tfjs-node packages that provide backend `tensorflow`, fastest first. */
export const TFJS_NODE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"] as const;

/** How to make `tensorflow` available (also printed when it is requested but missing). */
export const TFJS_NODE_INSTALL =
  `add "@tensorflow/tfjs-node": "npm:@tensorflow/tfjs-node@4.22.0" (or tfjs-node-gpu, with CUDA) to the imports of deno.json, then run: deno install --allow-scripts=npm:@tensorflow/tfjs-node`;

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

interface GpuAdapterLike {
  info?: {
    vendor?: string;
    architecture?: string;
    description?: string;
    isFallbackAdapter?: boolean;
  };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

/** Adapter names of software rasterizers: usable, but slower than wasm for training. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe|warp/i;

/**
 * Looks for a WebGPU adapter. With `allowSoftware` false (as `auto` asks), a fallback or
 * CPU-emulated adapter such as Mesa's llvmpipe counts as unavailable.
 */
export async function probeWebgpu(allowSoftware: boolean): Promise<Probe> {
  const gpu = (navigator as { gpu?: GpuLike }).gpu;
  if (gpu === undefined) {
    return { ok: false, reason: "navigator.gpu is missing: run deno with --unstable-webgpu" };
  }
  // Mesa's Vulkan loader complains on stderr when this is unset (headless machines).
  if (Deno.env.get("XDG_RUNTIME_DIR") === undefined) Deno.env.set("XDG_RUNTIME_DIR", "/tmp");
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (adapter === null) {
    return {
      ok: false,
      reason:
        "no WebGPU adapter found: install a Vulkan driver (apt-get install mesa-vulkan-drivers libvulkan1 gives the llvmpipe software adapter)",
    };
  }
  const info = adapter.info ?? {};
  const name = info.description || info.vendor || "unknown adapter";
  const software = (info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false) ||
    SOFTWARE_ADAPTER.test(name);
  if (software && !allowSoftware) {
    return { ok: false, reason: `the only WebGPU adapter is a software one (${name})` };
  }
  return { ok: true, detail: `${name}${software ? ", software adapter" : ""}` };
}

interface NativeModule {
  registerNativeBackend(): Promise<
    { ok: true; onednn?: string; threads?: number } | { ok: false; reason: string }
  >;
}

/** Registers the oneDNN `native` backend from ./native/mod.ts when it exists and loads. */
export async function probeNative(): Promise<Probe> {
  const url = new URL("./native/mod.ts", import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    return { ok: false, reason: "tasks/backends/native/mod.ts is missing" };
  }
  let mod: NativeModule;
  try {
    mod = await import(url.href) as NativeModule;
  } catch (e) {
    return {
      ok: false,
      reason: `native/mod.ts failed to load: ${e instanceof Error ? e.message : e}`,
    };
  }
  const outcome = await mod.registerNativeBackend();
  if (!outcome.ok) return outcome;
  const parts = [outcome.onednn ? `oneDNN ${outcome.onednn}` : "oneDNN"];
  if (outcome.threads) parts.push(`${outcome.threads} threads`);
  return { ok: true, detail: parts.join(", ") };
}
