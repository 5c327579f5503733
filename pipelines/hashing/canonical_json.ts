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
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  }
  if (typeof value === "object") {
    if (value instanceof URL) return JSON.stringify(value.href);
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  throw new TypeError(`Cannot fingerprint a value of type ${typeof value}`);
}
