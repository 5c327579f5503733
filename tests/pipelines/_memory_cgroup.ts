/**
 * A memory-limited cgroup for out-of-memory tests: processes moved into it (and their children)
 * are killed by the kernel's OOM killer when together they use more than the limit. Needs root
 * and a writable memory controller (cgroup v1 or v2); elsewhere the tests that need it are
 * reported as ignored.
 * @module
 */
import { join } from "node:path";

/** The folder of this process's memory cgroup, and the file that sets a limit in it. */
function memoryCgroup(): { dir: string; limitFile: string } | undefined {
  if (Deno.build.os !== "linux" || Deno.uid() !== 0) return undefined;
  let cgroups: string;
  try {
    cgroups = Deno.readTextFileSync("/proc/self/cgroup");
  } catch {
    return undefined;
  }
  for (const line of cgroups.split("\n")) {
    const [, controllers, path] = line.split(":");
    if (path === undefined) continue;
    if (controllers.split(",").includes("memory")) {
      return { dir: join("/sys/fs/cgroup/memory", path), limitFile: "memory.limit_in_bytes" };
    }
    if (controllers === "" && Deno.statSync("/sys/fs/cgroup/cgroup.controllers").isFile) {
      return { dir: join("/sys/fs/cgroup", path), limitFile: "memory.max" };
    }
  }
  return undefined;
}

/** A limited cgroup; `await using` moves its processes back out and removes it. */
export interface LimitedCgroup {
  /** Moves a process (and its future children) into the cgroup. */
  add(pid: number): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates a cgroup limited to `bytes` beside this process's own. */
export function limitedCgroup(bytes: number): LimitedCgroup {
  const parent = memoryCgroup();
  if (!parent) throw new Error("no writable memory cgroup");
  const dir = join(parent.dir, `cnnlab-oom-test-${Deno.pid}-${Date.now()}`);
  Deno.mkdirSync(dir);
  Deno.writeTextFileSync(join(dir, parent.limitFile), String(bytes));
  return {
    add(pid) {
      Deno.writeTextFileSync(join(dir, "cgroup.procs"), String(pid));
    },
    async [Symbol.asyncDispose]() {
      for (const pid of Deno.readTextFileSync(join(dir, "cgroup.procs")).split("\n")) {
        if (pid) Deno.writeTextFileSync(join(parent.dir, "cgroup.procs"), pid);
      }
      for (let i = 0; i < 20; i++) {
        try {
          Deno.removeSync(dir);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
  };
}

/** True when a limited cgroup can be made here. */
export const CAN_LIMIT_MEMORY: boolean = (() => {
  try {
    const probe = limitedCgroup(64 << 20);
    probe[Symbol.asyncDispose]();
    return true;
  } catch {
    return false;
  }
})();
