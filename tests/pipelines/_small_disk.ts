/**
 * Real small file systems for fault tests: a tmpfs that is full, or mounted read-only. Mounting
 * needs root (CI runs as root); elsewhere the tests that need it are reported as ignored.
 * @module
 */

/** True when this process may mount a tmpfs (root with CAP_SYS_ADMIN). */
export const CAN_MOUNT: boolean = (() => {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return false;
  const dir = Deno.makeTempDirSync({ prefix: "cnnlab-mount-probe-" });
  try {
    const mount = new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", "size=16k", "tmpfs", dir],
    })
      .outputSync();
    if (!mount.success) return false;
    new Deno.Command("umount", { args: [dir] }).outputSync();
    return true;
  } catch {
    return false;
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
})();

/** A mounted tmpfs; `await using` unmounts and removes it. */
export interface SmallDisk {
  dir: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Mounts a tmpfs of `kib` KiB at a temp folder. `full`: filled until the kernel refuses (0 bytes
 * free); `readOnly`: mounted read-only (empty).
 */
export async function smallDisk(
  options: { kib?: number; full?: boolean; readOnly?: boolean } = {},
): Promise<SmallDisk> {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-disk-" });
  const flags = [`size=${options.kib ?? 256}k`, ...(options.readOnly ? ["ro"] : [])].join(",");
  const mount = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", flags, "tmpfs", dir],
  })
    .output();
  if (!mount.success) throw new Error(`mount failed: ${new TextDecoder().decode(mount.stderr)}`);
  if (options.full) {
    // Fill it: one big file, then single bytes until even those are refused.
    const file = await Deno.open(`${dir}/filler`, { write: true, create: true });
    const chunk = new Uint8Array(4096);
    try {
      while (true) await file.write(chunk);
    } catch { /* ENOSPC */ }
    file.close();
    for (let i = 0;; i++) {
      try {
        await Deno.writeFile(`${dir}/filler-${i}`, new Uint8Array(1));
      } catch {
        break;
      }
    }
  }
  return {
    dir,
    async [Symbol.asyncDispose]() {
      await new Deno.Command("umount", { args: [dir] }).output();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
