import { relative, resolve } from "node:path";
import { canonicalJson } from "../hashing/canonical_json.ts";
import type { Json } from "../types.ts";
import type { FingerprintObject } from "./fingerprint.ts";

/** A value in a one-line reason: compact JSON, cut to `max` characters. */
function brief(value: Json | undefined, max = 32): string {
  if (value === undefined) return "none";
  const text = typeof value === "string" && /^[\w.@:/+-]*$/.test(value)
    ? value
    : canonicalJson(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isObject(value: unknown): value is Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Hex ids (hashes, build ids) are unreadable in a diff: say that they changed. */
function isId(value: Json | undefined): boolean {
  return typeof value === "string" && /^(?:[\w-]+@)?[0-9a-f]{12,}$/.test(value);
}

/** The `name` of every element when all elements are maps with a string name. */
function names(list: Json[]): string[] | undefined {
  const out: string[] = [];
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== "string") return undefined;
    out.push(item.name);
  }
  return new Set(out).size === out.length ? out : undefined;
}

/** Lists `key old → new` for every differing leaf (maps key by key, named lists by name). */
function diffJson(before: Json | undefined, after: Json | undefined, path: string): string[] {
  const label = path || "(all)";
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffJson(before[key], after[key], path ? `${path}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const [old, now] = [names(before), names(after)];
    if (old && now) {
      const added = now.filter((n) => !old.includes(n));
      const removed = old.filter((n) => !now.includes(n));
      const changed = now.filter((n) =>
        old.includes(n) &&
        canonicalJson(before[old.indexOf(n)]) !== canonicalJson(after[now.indexOf(n)])
      );
      const list = (items: string[]) =>
        items.length > 3 ? `${items.slice(0, 3).join(", ")}, …` : items.join(", ");
      const parts = [
        ...(added.length ? [`+${added.length} (${list(added)})`] : []),
        ...(removed.length ? [`−${removed.length} (${list(removed)})`] : []),
        ...(changed.length ? [`changed ${changed.length} (${list(changed)})`] : []),
      ];
      if (parts.length === 0 && old.join() !== now.join()) parts.push("order changed");
      return parts.length ? [`${label} ${parts.join(", ")}`] : [];
    }
  }
  if (
    canonicalJson(before ?? null) === canonicalJson(after ?? null) &&
    (before === undefined) === (after === undefined)
  ) {
    return [];
  }
  if (before === undefined) return [`${label} added (${brief(after)})`];
  if (after === undefined) return [`${label} removed (was ${brief(before)})`];
  if (isId(before) && isId(after)) {
    // `native@<build id>` → `native build changed`; a bare id → `<key> changed`.
    const [a, b] = [String(before).split("@"), String(after).split("@")];
    return [
      a.length === 2 && b.length === 2 && a[0] === b[0]
        ? `${a[0]} build changed`
        : `${label} changed`,
    ];
  }
  return [`${label} ${brief(before)} → ${brief(after)}`];
}

/** Options of {@linkcode explainChange}. */
export interface ExplainChangeOptions {
  /** Input name → id of the upstream stage now, to name it. Default: the input name. */
  inputIds?: Record<string, string>;
  /** The folder code paths are relative to (the stage module's), to show them from the cwd. */
  codeBase?: string;
}

/**
 * Says what differs between the fingerprint object of a stage's last completed run and now,
 * one short line each: `param train.lr 0.003 → 0.001`, `runs +2 (a, b)`,
 * `code tasks/models/vgg.ts`, `native build changed`, `input data:mnist changed (content)`.
 * Inputs missing from `after` (not known yet) are not compared.
 * @returns one line per difference, empty when the objects are equal.
 */
export function explainChange(
  before: FingerprintObject,
  after: Omit<FingerprintObject, "inputs"> & { inputs: Record<string, string | undefined> },
  options: ExplainChangeOptions = {},
): string[] {
  const reasons: string[] = [];
  if (before.engine !== after.engine) {
    reasons.push(`cache format ${before.engine} → ${after.engine}`);
  }
  if (before.kind !== after.kind) reasons.push(`kind ${before.kind} → ${after.kind}`);
  reasons.push(...diffJson(before.params, after.params, "").map((p) => `param ${p}`));
  // From the cwd when the file is inside it (`tasks/models/vgg.ts`), else absolute.
  const show = (file: string) => {
    if (!options.codeBase) return file;
    const path = resolve(options.codeBase, file);
    const inside = relative(Deno.cwd(), path);
    return inside.startsWith("..") ? path : inside;
  };
  const files = [...new Set([...Object.keys(before.code), ...Object.keys(after.code)])].sort();
  for (const file of files) {
    if (!(file in before.code)) reasons.push(`code ${show(file)} added`);
    else if (!(file in after.code)) reasons.push(`code ${show(file)} removed`);
    else if (before.code[file] !== after.code[file]) reasons.push(`code ${show(file)}`);
  }
  reasons.push(
    ...diffJson(before.packages ?? {}, after.packages ?? {}, "").map((p) => `package ${p}`),
  );
  reasons.push(
    ...diffJson(before.runtime, after.runtime, "").map((r) =>
      r.endsWith(" changed") ? r : `runtime ${r}`
    ),
  );
  // Inputs last: a changed input is a consequence; the stage's own changes say more.
  const inputNames = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])]
    .sort();
  for (const name of inputNames) {
    const label = `input ${options.inputIds?.[name] ?? name}`;
    const now = after.inputs[name];
    if (!(name in before.inputs)) reasons.push(`${label} added`);
    else if (!(name in after.inputs)) reasons.push(`${label} removed`);
    else if (now !== undefined && before.inputs[name] !== now) {
      reasons.push(`${label} changed (content)`);
    }
  }
  return reasons;
}
