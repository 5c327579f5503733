/**
 * Whether the oneDNN `native` backend loads here (registering it, not selecting it), and what
 * makes its numbers: the build id of the loaded library and its OpenMP thread count. The runtime
 * facts record both, so a rebuilt shim, or another thread count, reruns what it computed.
 * @module
 */
import type { Probe } from "./_probe.ts";
import { nativeSourceBuildId, registerNativeBackend } from "./native/mod.ts";
import { nativeSourceDir } from "./native/_ensure_library.ts";

/** A usable native backend: the loaded library's build id and its threads. */
export type NativeProbe = { ok: true; detail: string; build: string; threads: number };

/**
 * Registers the `native` backend when its library loads; the detail names oneDNN and threads.
 *
 * The build is the id compiled into the loaded library (`cn_build_id()`), which registration
 * checked against the sources, rebuilding or refusing a stale library. A library loaded earlier in
 * this process is checked again against the sources as they are now: when they changed since, or
 * their id cannot be computed, the backend is reported unavailable rather than keyed with a build
 * that would not compute the stage.
 */
export async function probeNative(): Promise<NativeProbe | Extract<Probe, { ok: false }>> {
  const outcome = await registerNativeBackend();
  if (!outcome.ok) return outcome;
  let now: string;
  try {
    now = await nativeSourceBuildId(nativeSourceDir());
  } catch (e) {
    return {
      ok: false,
      reason: `Cannot tell which native build would run: ${e instanceof Error ? e.message : e}`,
    };
  }
  if (now !== outcome.buildId) {
    return {
      ok: false,
      reason: `the native library loaded in this process (build ${
        outcome.buildId.slice(0, 12)
      }) no longer matches its sources (build ${
        now.slice(0, 12)
      }): start a new process, which rebuilds it`,
    };
  }
  const parts = [outcome.onednn ? `oneDNN ${outcome.onednn}` : "oneDNN"];
  if (outcome.threads) parts.push(`${outcome.threads} threads`);
  return { ok: true, detail: parts.join(", "), build: outcome.buildId, threads: outcome.threads };
}
