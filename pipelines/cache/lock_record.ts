/**
 * The lock file format (one home for writer and readers): a JSON object naming the holder
 * process precisely (host, boot id, pid namespace, pid, start time), a random token that tells
 * one acquisition from another, and a lease the holder renews by rewriting `heartbeat`.
 * See pipelines/README.md, "Locks".
 * @module
 */
import { currentProcess, type ProcessIdentity } from "./process_identity.ts";

/** What a lock file holds. */
export interface LockRecord extends ProcessIdentity {
  format: 1;
  /** Always "cnnlab": a file without it is not one of ours. */
  tool: "cnnlab";
  /** Random, unique per acquisition: release and heartbeat touch the file only while it holds it. */
  token: string;
  /** What the holder is doing, for messages: `stage train:lenet`. */
  purpose: string;
  /** When the lock was taken (ISO, holder's clock). */
  created: string;
  /** Last renewal, ms since the epoch on the holder's clock. */
  heartbeat: number;
  /** The holder renews at least every `lease_ms / 4`; silent for `lease_ms`, it is presumed dead. */
  lease_ms: number;
}

/** Default lease: a holder that has not renewed its lock for this long is presumed dead. */
export const DEFAULT_LEASE_MS = 30_000;

/** A new record for this process. */
export function newLockRecord(purpose: string, leaseMs = DEFAULT_LEASE_MS): LockRecord {
  return {
    format: 1,
    tool: "cnnlab",
    ...currentProcess(),
    token: crypto.randomUUID(),
    purpose,
    created: new Date().toISOString(),
    heartbeat: Date.now(),
    lease_ms: leaseMs,
  };
}

/** The text written to a lock file. */
export function formatLockRecord(record: LockRecord): string {
  return JSON.stringify(record) + "\n";
}

const isString = (v: unknown): v is string => typeof v === "string";
const isStringOrNull = (v: unknown) => v === null || typeof v === "string";

/** Parses a lock file's text; undefined when it is not a complete record of this format. */
export function parseLockRecord(text: string): LockRecord | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  const ok = value.format === 1 && value.tool === "cnnlab" && isString(value.token) &&
    isString(value.host) && isStringOrNull(value.boot) && isStringOrNull(value.pidns) &&
    Number.isInteger(value.pid) && isStringOrNull(value.start) && isString(value.purpose) &&
    isString(value.created) && Number.isFinite(value.heartbeat) &&
    Number.isFinite(value.lease_ms) && (value.lease_ms as number) > 0;
  return ok ? value as unknown as LockRecord : undefined;
}
