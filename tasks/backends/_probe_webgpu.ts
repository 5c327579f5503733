/**
 * Whether a WebGPU adapter is present, quietly: a missing driver is a reason, not an exception.
 * @module
 */
import type { Probe } from "./_probe.ts";

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
