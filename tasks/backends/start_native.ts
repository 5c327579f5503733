/** Starts backend `native` (oneDNN through FFI, see native/README.md). @module */
import type { BackendChoice } from "./backend_module.ts";
import { registerNativeBackend } from "./native/mod.ts";
import { selectBackend } from "./_select_backend.ts";

/**
 * Registers and selects `native`.
 * @throws Error with the reason and the build command when the library cannot be loaded.
 */
export async function startBackend(): Promise<BackendChoice> {
  const outcome = await registerNativeBackend();
  if (!outcome.ok) {
    throw new Error(
      `Cannot use backend 'native': ${outcome.reason}. Build it with: bash tasks/backends/native/build_native.sh (needs apt-get install libdnnl-dev g++)`,
    );
  }
  const detail = [
    outcome.onednn ? `oneDNN ${outcome.onednn}` : "oneDNN",
    ...(outcome.threads ? [`${outcome.threads} threads`] : []),
  ].join(", ");
  await selectBackend("native", detail);
  return { name: "native", detail };
}
