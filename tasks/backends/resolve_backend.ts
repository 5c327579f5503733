/**
 * Which backend a request would get, without switching to it (for fingerprints).
 * @module
 */
import type { BackendName } from "./backend_names.ts";
import {
  probeNative,
  probeTfjsNode,
  probeWebgpu,
  TFJS_NODE_INSTALL,
  TFJS_NODE_PACKAGES,
} from "./_probe_backends.ts";

/** A resolved backend: its tfjs name and what runs it. */
export interface ResolvedBackend {
  /** `tensorflow`, `webgpu`, `native`, `wasm` or `cpu`. */
  name: Exclude<BackendName, "auto">;
  /** Package, adapter or library behind it. */
  detail: string;
  /** For `auto`: why each faster backend was passed over. */
  skipped?: string[];
}

const WASM: ResolvedBackend = { name: "wasm", detail: "XNNPACK SIMD, composed conv gradients" };

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
      return { name: "cpu", detail: "tfjs-backend-cpu (pure JS, slow: for tiny tests)" };
    case "wasm":
      return WASM;
    case "tensorflow": {
      const reasons: string[] = [];
      for (const pkg of TFJS_NODE_PACKAGES) {
        const probe = await probeTfjsNode(pkg);
        if (probe.ok) return { name: "tensorflow", detail: probe.detail };
        reasons.push(probe.reason);
      }
      throw new Error(
        `Cannot use backend 'tensorflow' as tfjs-node is not available (${
          reasons.join("; ")
        }): to install it, ${TFJS_NODE_INSTALL}`,
      );
    }
    case "webgpu": {
      const probe = await probeWebgpu(true);
      if (!probe.ok) throw new Error(`Cannot use backend 'webgpu': ${probe.reason}`);
      return { name: "webgpu", detail: probe.detail };
    }
    case "native": {
      const probe = await probeNative();
      if (!probe.ok) {
        throw new Error(
          `Cannot use backend 'native': ${probe.reason}. Build it with: bash tasks/backends/native/build_native.sh (needs apt-get install libdnnl-dev g++)`,
        );
      }
      return { name: "native", detail: probe.detail };
    }
    case "auto": {
      const skipped: string[] = [];
      for (const pkg of TFJS_NODE_PACKAGES) {
        const probe = await probeTfjsNode(pkg);
        if (probe.ok) return { name: "tensorflow", detail: probe.detail, skipped };
        skipped.push(`tensorflow: ${probe.reason}`);
      }
      const gpu = await probeWebgpu(false);
      if (gpu.ok) return { name: "webgpu", detail: gpu.detail, skipped };
      skipped.push(`webgpu: ${gpu.reason}`);
      const native = await probeNative();
      if (native.ok) return { name: "native", detail: native.detail, skipped };
      skipped.push(`native: ${native.reason}`);
      return { ...WASM, skipped };
    }
  }
}
