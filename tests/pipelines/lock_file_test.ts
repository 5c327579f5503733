import assert from "node:assert/strict";
import { join } from "node:path";
import {
  acquireLock,
  createLockFile,
  inspectLock,
  LockWaitAborted,
  withLockIfFree,
} from "../../pipelines/cache/lock_file.ts";
import {
  type LockRecord,
  newLockRecord,
  parseLockRecord,
} from "../../pipelines/cache/lock_record.ts";
import { currentProcess, processStartTime } from "../../pipelines/cache/process_identity.ts";
import { CAN_MOUNT, smallDisk } from "./_small_disk.ts";

const CONTENDER = new URL("../fixtures/pipelines/lock_contender.ts", import.meta.url).pathname;

/** A temp folder with a lock path in it; `await using` removes it. */
async function lockDir() {
  const dir = await Deno.makeTempDir({ prefix: "cnnlab-lock-" });
  return {
    dir,
    path: join(dir, "x.lock"),
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A record as another holder would have written it. */
function holder(overrides: Partial<LockRecord>): LockRecord {
  return { ...newLockRecord("stage train:other"), ...overrides };
}

/** Writes a record the way holders do (beside, then renamed: readers never see half of it). */
async function writeRecord(path: string, record: LockRecord): Promise<void> {
  await Deno.writeTextFile(`${path}.w`, JSON.stringify(record) + "\n");
  await Deno.rename(`${path}.w`, path);
}

/** A live process (a lock holder that is running) and its start time. */
function sleeper(seconds: number) {
  const child = new Deno.Command("sleep", { args: [String(seconds)] }).spawn();
  return { child, start: processStartTime(child.pid) };
}

/** Acquires `path`, recording waits and take-overs; returns the held lock and timing. */
async function acquireTimed(path: string, extra: Parameters<typeof acquireLock>[1] | object = {}) {
  const waits: string[] = [];
  const takeovers: string[] = [];
  const begun = performance.now();
  const lock = await acquireLock(path, {
    purpose: "test",
    pollMs: 20,
    onWait: (h, reason) => waits.push(`${h?.pid ?? "?"}: ${reason}`),
    onTakeOver: (_h, reason) => takeovers.push(reason),
    ...extra,
  });
  return { lock, waits, takeovers, ms: performance.now() - begun };
}

Deno.test("acquireLock() writes a complete record naming this process, and release() removes it", async () => {
  await using d = await lockDir();
  const lock = await acquireLock(d.path, { purpose: "stage train:a" });
  const record = parseLockRecord(await Deno.readTextFile(d.path))!;
  const me = currentProcess();
  assert.equal(record.pid, Deno.pid);
  assert.equal(record.host, me.host);
  assert.equal(record.boot, me.boot);
  assert.equal(record.pidns, me.pidns);
  assert.equal(record.start, me.start);
  assert.equal(record.purpose, "stage train:a");
  assert.equal(record.token, lock.record.token);
  await lock.release();
  await assert.rejects(() => Deno.stat(d.path), Deno.errors.NotFound);
  assert.deepEqual([...Deno.readDirSync(d.dir)], [], "no temp file is left beside it");
});

// Stale-lock shapes: each is taken over at once, without waiting for a lease.
const STALE_NOW: [string, () => Promise<LockRecord>][] = [
  ["a process that has exited", async () => {
    const gone = new Deno.Command("sleep", { args: ["0"] }).spawn();
    const start = processStartTime(gone.pid);
    await gone.status;
    return holder({ pid: gone.pid, start });
  }],
  ["an unrelated live process that reuses the recorded pid (other start time)", () => {
    const { child } = sleeper(5);
    setTimeout(() => child.kill(), 3000);
    return Promise.resolve(holder({ pid: child.pid, start: "12345" }));
  }],
  [
    "this very process's pid with another start time (a restart that got the same pid)",
    () => Promise.resolve(holder({ pid: Deno.pid, start: "1" })),
  ],
  [
    "this process's exact identity with a token it does not hold (a lock it failed to release)",
    () => Promise.resolve(holder({})),
  ],
  [
    "a container restart: same host and boot, another pid namespace, pid 1, heartbeat older than its lease",
    () =>
      Promise.resolve(
        holder({ pid: 1, pidns: "pid:[1]", start: "7", heartbeat: Date.now() - 120_000 }),
      ),
  ],
];

for (const [shape, make] of STALE_NOW) {
  Deno.test(`acquireLock() takes over at once the lock of ${shape}`, async () => {
    await using d = await lockDir();
    await writeRecord(d.path, await make());
    const { lock, waits, takeovers, ms } = await acquireTimed(d.path);
    assert.deepEqual(waits, []);
    assert.equal(takeovers.length, 1);
    assert.ok(ms < 2000, `took ${ms} ms`);
    assert.equal(parseLockRecord(await Deno.readTextFile(d.path))!.token, lock.record.token);
    await lock.release();
  });
}

Deno.test("acquireLock() waits for a live holder, says who it is, and honours abort at once", async () => {
  await using d = await lockDir();
  const { child, start } = sleeper(10);
  try {
    await writeRecord(d.path, holder({ pid: child.pid, start }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const waits: string[] = [];
    const begun = performance.now();
    await assert.rejects(
      () =>
        acquireLock(d.path, {
          purpose: "test",
          pollMs: 5000, // the abort must not wait for the next look
          signal: controller.signal,
          onWait: (h, reason) => waits.push(`${h?.pid}: ${reason}`),
        }),
      LockWaitAborted,
    );
    const ms = performance.now() - begun;
    assert.ok(ms < 1500, `abort took ${ms} ms`);
    assert.deepEqual(waits, [`${child.pid}: process ${child.pid} on this machine is running`]);
    assert.equal(parseLockRecord(await Deno.readTextFile(d.path))!.pid, child.pid, "left alone");
  } finally {
    child.kill();
    await child.status;
  }
});

Deno.test("a holder in another pid namespace is waited for while it renews, and taken over when it stops", async () => {
  await using d = await lockDir();
  const record = holder({ pid: 1, pidns: "pid:[1]", start: "7", lease_ms: 400 });
  await writeRecord(d.path, record);
  // The holder renews for 1.2 s, then "crashes".
  const renewing = setInterval(() => {
    writeRecord(d.path, { ...record, heartbeat: Date.now() });
  }, 100);
  setTimeout(() => clearInterval(renewing), 1200);
  const { lock, waits, takeovers, ms } = await acquireTimed(d.path);
  assert.equal(waits.length, 1);
  assert.match(
    waits[0],
    /^1: process 1 in another container on this machine renewed it \d+ s ago$/,
  );
  assert.equal(takeovers.length, 1);
  assert.ok(ms >= 1200 && ms < 4000, `took over after ${ms} ms`);
  await lock.release();
});

Deno.test("a holder on another host is judged by its heartbeat changing, not by a local pid or clock", async () => {
  await using d = await lockDir();
  // Its pid is ours and its clock far behind: neither may matter for another host.
  const record = holder({
    host: "node7.cluster",
    boot: "b-remote",
    pidns: "pid:[9]",
    pid: Deno.pid,
    heartbeat: Date.now() - 3_600_000,
    lease_ms: 500,
  });
  await writeRecord(d.path, record);
  let beats = 0;
  const renewing = setInterval(() => {
    writeRecord(d.path, { ...record, heartbeat: record.heartbeat + ++beats });
  }, 100);
  setTimeout(() => clearInterval(renewing), 1500);
  const { lock, waits, takeovers, ms } = await acquireTimed(d.path);
  assert.deepEqual(waits, [
    `${Deno.pid}: process ${Deno.pid} on host node7.cluster holds it (lease 1 s)`,
  ]);
  assert.deepEqual(takeovers, [
    `process ${Deno.pid} on host node7.cluster has not renewed it for 1 s`,
  ]);
  assert.ok(ms >= 1500 + 400 && ms < 4000, `took over after ${ms} ms`);
  await lock.release();
});

for (
  const [shape, text] of [
    ["an empty file", ""],
    ["an older format's bare pid", "1"],
    ["a torn record", '{"format":1,"tool":"cnnlab","tok'],
  ]
) {
  Deno.test(`a lock file holding ${shape} is taken over once it stays unchanged for the grace time`, async () => {
    await using d = await lockDir();
    await Deno.writeTextFile(d.path, text);
    const { lock, takeovers, ms } = await acquireTimed(d.path, { unreadableGraceMs: 300 });
    assert.ok(ms >= 300 && ms < 2500, `took ${ms} ms`);
    assert.equal(takeovers.length, 1);
    assert.match(takeovers[0], /^not a lock record, unchanged for \d+ s$/);
    await lock.release();
  });
}

Deno.test("the heartbeat renews a held lock even while the main thread is blocked", async () => {
  await using d = await lockDir();
  const lock = await acquireLock(d.path, { purpose: "test", leaseMs: 200 });
  const first = parseLockRecord(await Deno.readTextFile(d.path))!.heartbeat;
  const until = performance.now() + 600;
  while (performance.now() < until) { /* a long synchronous computation */ }
  const later = parseLockRecord(await Deno.readTextFile(d.path))!;
  assert.ok(later.heartbeat > first, "renewed while blocked");
  assert.equal(later.token, lock.record.token);
  await lock.release();
  await assert.rejects(() => Deno.stat(d.path), Deno.errors.NotFound);
});

Deno.test("release() leaves alone a lock that another process has taken over meanwhile, and onLost fires", async () => {
  await using d = await lockDir();
  let lost = false;
  const lock = await acquireLock(d.path, {
    purpose: "test",
    leaseMs: 200,
    onLost: () => lost = true,
  });
  const thief = holder({ host: "elsewhere", boot: "b2" });
  await writeRecord(d.path, thief);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(lost, "the heartbeat noticed");
  await lock.release();
  assert.equal(parseLockRecord(await Deno.readTextFile(d.path))!.token, thief.token);
});

Deno.test("four processes taking one lock 15 times each never hold it at once", async () => {
  await using d = await lockDir();
  const counter = join(d.dir, "counter.txt");
  const children = Array.from({ length: 4 }, () =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CONTENDER, d.path, counter, "15"],
      stdout: "null",
      stderr: "piped",
    }).spawn());
  for (const child of children) {
    const { code, stderr } = await child.output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
  }
  assert.equal(await Deno.readTextFile(counter), "60");
  await assert.rejects(() => Deno.stat(d.path), Deno.errors.NotFound);
});

Deno.test("inspectLock() and withLockIfFree() never disturb a live holder", async () => {
  await using d = await lockDir();
  assert.deepEqual(await inspectLock(d.path), { state: "free" });
  const lock = await acquireLock(d.path, { purpose: "test" });
  assert.equal((await inspectLock(d.path)).state, "held");
  let ran = false;
  assert.equal(await withLockIfFree(d.path, "gc", () => Promise.resolve(void (ran = true))), false);
  assert.equal(ran, false);
  await lock.release();
  assert.equal(await withLockIfFree(d.path, "gc", () => Promise.resolve(void (ran = true))), true);
  assert.ok(ran);
  await assert.rejects(() => Deno.stat(d.path), Deno.errors.NotFound);
});

Deno.test({
  name:
    "a full disk makes taking a lock fail without leaving an empty lock file (tmpfs, needs root)",
  ignore: !CAN_MOUNT,
  async fn() {
    await using disk = await smallDisk({ full: true });
    const path = join(disk.dir, "x.lock");
    const before = new Set([...Deno.readDirSync(disk.dir)].map((e) => e.name));
    await assert.rejects(
      () => createLockFile(path, newLockRecord("test")),
      /No space left on device/,
    );
    await assert.rejects(() => acquireLock(path, { purpose: "test" }), /No space left on device/);
    const after = [...Deno.readDirSync(disk.dir)].map((e) => e.name).filter((n) => !before.has(n));
    assert.deepEqual(after, []);
  },
});
