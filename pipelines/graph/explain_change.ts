import { canonicalJson } from "../hashing/canonical_json.ts";
import { formatValue } from "../config/config_error.ts";
import type { FingerprintObject } from "./fingerprint.ts";
import type { Json } from "../types.ts";

function isObject(value: unknown): value is Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Lists `key: old → new` for every differing leaf (maps are compared key by key). */
function diffJson(
  before: Json | undefined,
  after: Json | undefined,
  path: string,
  out: string[],
): void {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const key of keys) diffJson(before[key], after[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const text = (list: Json[]) => list.map((v) => canonicalJson(v));
    const [old, now] = [text(before), text(after)];
    const removed = old.filter((v) => !now.includes(v));
    const added = now.filter((v) => !old.includes(v));
    if (removed.length === 0 && added.length === 0) {
      if (old.join() !== now.join()) out.push(`${path || "(all)"}: order changed`);
      return;
    }
    const parts = [
      ...(removed.length ? [`removed ${formatValue(removed.map((v) => JSON.parse(v)))}`] : []),
      ...(added.length ? [`added ${formatValue(added.map((v) => JSON.parse(v)))}`] : []),
    ];
    out.push(`${path || "(all)"}: ${parts.join(", ")}`);
    return;
  }
  if (
    canonicalJson(before ?? null) === canonicalJson(after ?? null) &&
    (before === undefined) === (after === undefined)
  ) {
    return;
  }
  const label = path || "(all)";
  if (before === undefined) out.push(`${label} added: ${formatValue(after)}`);
  else if (after === undefined) out.push(`${label} removed (was ${formatValue(before)})`);
  else out.push(`${label}: ${formatValue(before)} → ${formatValue(after)}`);
}

/** Options of {@linkcode explainChange}. */
export interface ExplainChangeOptions {
  /** Input name → id of the upstream stage now, to name it. Default: names only. */
  inputIds?: Record<string, string>;
}

/**
 * Says what differs between the fingerprint object of a stage's last completed run and now, in
 * this order: `param train.lr: 0.01 → 0.02`, `code ./loop.ts changed`,
 * `runtime backend: "wasm" → "webgpu"`, `input 'data' (data:mnist) changed`.
 * @returns one line per difference, empty when the objects are equal.
 */
export function explainChange(
  before: FingerprintObject,
  after: FingerprintObject,
  options: ExplainChangeOptions = {},
): string[] {
  const reasons: string[] = [];
  if (before.engine !== after.engine) {
    reasons.push(`engine cache format ${before.engine} → ${after.engine}`);
  }
  if (before.kind !== after.kind) reasons.push(`kind ${before.kind} → ${after.kind}`);
  const params: string[] = [];
  diffJson(before.params, after.params, "", params);
  reasons.push(...params.map((p) => `param ${p}`));
  const files = [...new Set([...Object.keys(before.code), ...Object.keys(after.code)])].sort();
  for (const file of files) {
    if (!(file in before.code)) reasons.push(`code ${file} added`);
    else if (!(file in after.code)) reasons.push(`code ${file} removed`);
    else if (before.code[file] !== after.code[file]) reasons.push(`code ${file} changed`);
  }
  const runtime: string[] = [];
  diffJson(before.runtime, after.runtime, "", runtime);
  reasons.push(...runtime.map((r) => `runtime ${r}`));
  // Inputs last: a changed input is a consequence; the stage's own changes say more.
  const inputNames = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])]
    .sort();
  for (const name of inputNames) {
    const id = options.inputIds?.[name];
    const label = id && id !== name ? `input '${name}' (${id})` : `input '${name}'`;
    if (!(name in before.inputs)) reasons.push(`${label} added`);
    else if (!(name in after.inputs)) reasons.push(`${label} removed`);
    else if (before.inputs[name] !== after.inputs[name]) reasons.push(`${label} changed`);
  }
  return reasons;
}
