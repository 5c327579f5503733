/**
 * Whether the oneDNN `native` backend loads here (registering it, not selecting it), and the
 * identity of its build: the runtime facts record it, so a rebuilt shim reruns what it computed.
 * @module
 */
import { createHash } from "node:crypto";
import type { Probe } from "./_probe.ts";
import { registerNativeBackend } from "./native/mod.ts";

const SOURCES = new URL("./native/src/", import.meta.url);
const BUILD_SCRIPT = new URL("./native/build_native.sh", import.meta.url);

/**
 * SHA-256 over the shim's sources (name and bytes, sorted by name) and its build script (which
 * holds the compiler flags): what the loaded library is checked against when it registers.
 */
export async function nativeSourceDigest(): Promise<string> {
  const hash = createHash("sha256");
  const names = [...Deno.readDirSync(SOURCES)].filter((e) => e.isFile).map((e) => e.name).sort();
  for (const name of names) {
    hash.update(`${name}\0`).update(await Deno.readFile(new URL(name, SOURCES))).update("\0");
  }
  hash.update("build_native.sh\0").update(await Deno.readFile(BUILD_SCRIPT));
  return hash.digest("hex");
}

/** Registers the `native` backend when its library loads; the detail names oneDNN and threads. */
export async function probeNative(): Promise<Probe & { build?: string }> {
  const outcome = await registerNativeBackend();
  if (!outcome.ok) return outcome;
  const parts = [outcome.onednn ? `oneDNN ${outcome.onednn}` : "oneDNN"];
  if (outcome.threads) parts.push(`${outcome.threads} threads`);
  return { ok: true, detail: parts.join(", "), build: await nativeSourceDigest() };
}
