/**
 * Which backend a request would get, without switching to it (for fingerprints).
 * @module
 */
import type { BackendName } from "./backend_names.ts";
import { probeNative } from "./_probe_native.ts";
import { probeTfjsNode } from "./_probe_tfjs_node.ts";
import { probeWebgpu } from "./_probe_webgpu.ts";
import { TFJS_NODE_INSTALL, TFJS_NODE_PACKAGES } from "./_tfjs_node_packages.ts";

/** A resolved backend: its tfjs name and what runs it. */
export interface ResolvedBackend {
  /** `tensorflow`, `webgpu`, `native`, `wasm` or `cpu`. */
  name: Exclude<BackendName, "auto">;
  /** Package, adapter or library behind it. */
  detail: string;
  /**
   * What the runtime facts record: the name, plus the identity of what computes, where it can
   * change numbers: `native@<build>` (the shim's sources and flags), `tensorflow@<package
   * version>`, `webgpu@<adapter>`.
   */
  id: string;
  /**
   * Threads per process, where the thread count changes the numbers (`native`: oneDNN splits
   * reductions by thread, so 1 and 2 threads give other last bits); absent elsewhere.
   */
  threads?: number;
  /** For `auto`: why each faster backend was passed over. */
  skipped?: string[];
}

const WASM: ResolvedBackend = {
  name: "wasm",
  detail: "XNNPACK SIMD, composed conv gradients",
  id: "wasm",
};
const CPU: ResolvedBackend = {
  name: "cpu",
  detail: "tfjs-backend-cpu (pure JS, slow: for tiny tests)",
  id: "cpu",
};

const NATIVE_FIX =
  "Build it with: bash tasks/backends/native/build_native.sh (needs apt-get install libdnnl-dev g++)";

async function tensorflow(): Promise<ResolvedBackend | string[]> {
  const reasons: string[] = [];
  for (const pkg of TFJS_NODE_PACKAGES) {
    const probe = await probeTfjsNode(pkg);
    if (probe.ok) {
      return { name: "tensorflow", detail: probe.detail, id: `tensorflow@${probe.detail}` };
    }
    reasons.push(probe.reason);
  }
  return reasons;
}

async function webgpu(allowSoftware: boolean): Promise<ResolvedBackend | string> {
  const probe = await probeWebgpu(allowSoftware);
  return probe.ok
    ? { name: "webgpu", detail: probe.detail, id: `webgpu@${probe.detail}` }
    : probe.reason;
}

async function native(): Promise<ResolvedBackend | string> {
  const probe = await probeNative();
  return probe.ok
    ? { name: "native", detail: probe.detail, id: `native@${probe.build}`, threads: probe.threads }
    : probe.reason;
}

/**
 * Resolves `request` to a concrete backend: probes what is installed (registering the
 * optional backends it finds, but not selecting any). `auto` prefers tfjs-node-gpu,
 * tfjs-node, a hardware WebGPU adapter, `native`, then `wasm`; a software WebGPU adapter
 * (llvmpipe) is only used when asked for by name.
 *
 * @throws Error when a backend asked for by name is unavailable, with the reason and the fix.
 */
export async function resolveBackend(request: BackendName): Promise<ResolvedBackend> {
  switch (request) {
    case "cpu":
      return CPU;
    case "wasm":
      return WASM;
    case "tensorflow": {
      const found = await tensorflow();
      if (!Array.isArray(found)) return found;
      throw new Error(
        `Cannot use backend 'tensorflow' as tfjs-node is not available (${
          found.join("; ")
        }): to install it, ${TFJS_NODE_INSTALL}`,
      );
    }
    case "webgpu": {
      const found = await webgpu(true);
      if (typeof found !== "string") return found;
      throw new Error(`Cannot use backend 'webgpu': ${found}`);
    }
    case "native": {
      const found = await native();
      if (typeof found !== "string") return found;
      throw new Error(`Cannot use backend 'native': ${found}. ${NATIVE_FIX}`);
    }
    case "auto": {
      const skipped: string[] = [];
      const tf = await tensorflow();
      if (!Array.isArray(tf)) return { ...tf, skipped };
      skipped.push(...tf.map((reason) => `tensorflow: ${reason}`));
      const gpu = await webgpu(false);
      if (typeof gpu !== "string") return { ...gpu, skipped };
      skipped.push(`webgpu: ${gpu}`);
      const cpuLib = await native();
      if (typeof cpuLib !== "string") return { ...cpuLib, skipped };
      skipped.push(`native: ${cpuLib}`);
      return { ...WASM, skipped };
    }
  }
}
