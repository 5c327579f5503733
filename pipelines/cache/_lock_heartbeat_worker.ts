/**
 * The heartbeat thread of {@link ./lock_file.ts}: renews every lock this process holds, and
 * performs their releases, on its own thread, so a holder whose main thread is busy in a long
 * synchronous computation still renews its leases. All writes to held lock files happen here,
 * one at a time, so a release can never be undone by a renewal still in flight.
 *
 * Messages in: `{ hold: { path, record } }`, `{ release: { path, id } }`.
 * Messages out: `{ released: id }`, `{ lost: path }` (the file no longer holds our token).
 * @module
 */
/// <reference no-default-lib="true" />
/// <reference lib="deno.worker" />
import { formatLockRecord, type LockRecord, parseLockRecord } from "./lock_record.ts";

const held = new Map<string, LockRecord>();
let queue: Promise<void> = Promise.resolve();
const serially = (task: () => Promise<void>) => {
  queue = queue.then(task).catch(() => {});
};

async function readOwn(path: string, record: LockRecord): Promise<boolean> {
  try {
    return parseLockRecord(await Deno.readTextFile(path))?.token === record.token;
  } catch {
    return false;
  }
}

async function renew(path: string): Promise<void> {
  const record = held.get(path);
  if (!record) return;
  if (!(await readOwn(path, record))) {
    held.delete(path);
    self.postMessage({ lost: path });
    return;
  }
  const next = { ...record, heartbeat: Date.now() };
  const tmp = `${path}.${record.token}.beat`;
  try {
    await Deno.writeTextFile(tmp, formatLockRecord(next));
    await Deno.rename(tmp, path);
    held.set(path, next);
  } catch {
    // A full disk or a flaky mount: try again next beat; the lease allows several misses.
    await Deno.remove(tmp).catch(() => {});
  }
}

async function release(path: string): Promise<void> {
  const record = held.get(path);
  held.delete(path);
  if (record && await readOwn(path, record)) await Deno.remove(path).catch(() => {});
}

let timer: ReturnType<typeof setInterval> | undefined;
let pace = Infinity;
self.onmessage = (event: MessageEvent) => {
  const message = event.data;
  if (message.hold) {
    const { path, record } = message.hold as { path: string; record: LockRecord };
    held.set(path, record);
    // The shortest lease among held locks sets the pace: four beats per lease.
    const every = Math.max(20, Math.floor(record.lease_ms / 4));
    if (every < pace) {
      pace = every;
      clearInterval(timer);
      timer = setInterval(() => {
        for (const path of [...held.keys()]) serially(() => renew(path));
      }, every);
    }
  } else if (message.release) {
    const { path, id } = message.release as { path: string; id: number };
    serially(async () => {
      await release(path);
      self.postMessage({ released: id });
    });
  }
};
