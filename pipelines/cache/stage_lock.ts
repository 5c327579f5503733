import { dirname } from "node:path";
import { isProcessAlive } from "./_process_alive.ts";
import type { CacheLayout } from "./cache_layout.ts";

/** Options of {@linkcode lockStage}. */
export interface LockStageOptions {
  /** Called once when another live process holds the lock, with its pid. */
  onWait?: (pid: number) => void;
  /** Stops waiting (rejects) when aborted. */
  signal?: AbortSignal;
  /** How often to look again while waiting (ms). Default: 500. */
  pollMs?: number;
}

/** A held lock; release it when the stage is committed or abandoned. */
export interface StageLock {
  release(): Promise<void>;
}

/**
 * Takes `locks/<fingerprint>.lock` so that two pipelines sharing a cache never compute (and
 * checkpoint into the same work folder for) one stage at once. A lock whose process is gone is
 * taken over; a live one is waited for.
 * @throws {Error} "interrupted" when `signal` aborts while waiting.
 */
export async function lockStage(
  layout: CacheLayout,
  fingerprint: string,
  options: LockStageOptions = {},
): Promise<StageLock> {
  const path = layout.lock(fingerprint);
  await Deno.mkdir(dirname(path), { recursive: true });
  let announced = false;
  while (true) {
    try {
      await Deno.writeTextFile(path, String(Deno.pid), { createNew: true });
      return { release: () => Deno.remove(path).catch(() => {}) };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const holder = Number(await Deno.readTextFile(path).catch(() => ""));
    if (Number.isInteger(holder) && holder > 0 && !isProcessAlive(holder)) {
      await Deno.remove(path).catch(() => {});
      continue;
    }
    // An empty lock is being written right now, or its writer died in between: give it 10 s.
    if (!(holder > 0)) {
      const age = Date.now() - ((await Deno.stat(path).catch(() => null))?.mtime?.getTime() ?? 0);
      if (age > 10_000) {
        await Deno.remove(path).catch(() => {});
        continue;
      }
    }
    if (!announced && holder > 0) {
      options.onWait?.(holder);
      announced = true;
    }
    if (options.signal?.aborted) throw new Error("interrupted");
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
