import { createHash, type Hash } from "node:crypto";

/**
 * Canonical JSON of values registered by {@linkcode freezeDeeply}, computed once: validated run
 * params share such blocks between runs (see `config/expand_runs.ts`), so a sweep serializes
 * each block once.
 */
const frozenJson = new WeakMap<object, string>();
const immutable = new WeakSet<object>();

/**
 * Freezes `value` and everything in it, and lets {@linkcode canonicalJson} remember the text of
 * each part (safe: none can change any more).
 * @returns `value`.
 */
export function freezeDeeply<T>(value: T): T {
  if (value !== null && typeof value === "object" && !immutable.has(value)) {
    for (const inner of Object.values(value)) freezeDeeply(inner);
    Object.freeze(value);
    immutable.add(value);
  }
  return value;
}

/**
 * Serializes a value as canonical JSON: object keys sorted, no whitespace, `undefined` members
 * dropped (as JSON.stringify does). Equal data gives equal text, so its hash is a stable key.
 * @throws {TypeError} for values JSON cannot represent (functions, NaN, Infinity, bigint).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return JSON.stringify(value);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot fingerprint the number ${value}`);
    return JSON.stringify(value);
  }
  if (typeof value !== "object") {
    throw new TypeError(`Cannot fingerprint a value of type ${typeof value}`);
  }
  const frozen = immutable.has(value);
  if (frozen) {
    const known = frozenJson.get(value);
    if (known !== undefined) return known;
  }
  let text: string;
  if (Array.isArray(value)) {
    text = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) text += ",";
      text += value[i] === undefined ? "null" : canonicalJson(value[i]);
    }
    text += "]";
  } else if (value instanceof URL) {
    text = JSON.stringify(value.href);
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    text = "{";
    for (const key of keys) {
      if (record[key] === undefined) continue;
      if (text.length > 1) text += ",";
      text += `${JSON.stringify(key)}:${canonicalJson(record[key])}`;
    }
    text += "}";
  }
  if (frozen) frozenJson.set(value, text);
  return text;
}

/**
 * Hex SHA-256 of `prefix`, the canonical JSON of `value`, then `suffix`. The members of a big
 * top-level object or array (a 100,000-run report's `runs`) are serialized and hashed one at a
 * time, so the whole text is never built; the bytes hashed are exactly those of
 * {@linkcode canonicalJson}.
 */
export function canonicalSha256(value: unknown, prefix = "", suffix = ""): string {
  return canonicalSha256Into(createHash("sha256"), value, prefix, suffix);
}

/**
 * {@linkcode canonicalSha256} continued from `hash`, a hash that has already taken the text before
 * `prefix` (a copy of one shared by many stages: their common prefix is hashed once).
 */
export function canonicalSha256Into(
  hash: Hash,
  value: unknown,
  prefix = "",
  suffix = "",
): string {
  if (!isBig(value)) {
    return hash.update(prefix + canonicalJson(value) + suffix).digest("hex");
  }
  let buffered = prefix;
  const write = (text: string) => {
    buffered += text;
    if (buffered.length >= 1 << 16) {
      hash.update(buffered);
      buffered = "";
    }
  };
  writeStreamed(value, write, 2);
  hash.update(buffered + suffix);
  return hash.digest("hex");
}

/** Whether a value holds, in its first two levels, a list or map long enough to stream. */
function isBig(value: unknown, depth = 2): boolean {
  if (value === null || typeof value !== "object" || immutable.has(value)) return false;
  const members = Array.isArray(value) ? value : Object.values(value);
  if (members.length > 1000) return true;
  return depth > 1 && members.some((m) => isBig(m, depth - 1));
}

/** Writes canonical JSON, descending `depth` levels into objects and arrays before serializing. */
function writeStreamed(value: unknown, write: (text: string) => void, depth: number): void {
  if (depth === 0 || value === null || typeof value !== "object" || value instanceof URL) {
    write(canonicalJson(value));
    return;
  }
  if (frozenJson.has(value)) {
    write(frozenJson.get(value)!);
    return;
  }
  if (Array.isArray(value)) {
    write("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) write(",");
      if (value[i] === undefined) write("null");
      else writeStreamed(value[i], write, depth - 1);
    }
    write("]");
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  write("{");
  keys.forEach((key, i) => {
    write(`${i > 0 ? "," : ""}${JSON.stringify(key)}:`);
    writeStreamed(record[key], write, depth - 1);
  });
  write("}");
}
