/**
 * Reads the shape of a zod v4 schema so messages can offer "did you mean" and sweep keys can be
 * checked against the run schema. Only structure is inspected; nothing is validated here.
 * @module
 */
import type { z } from "zod";

type Segment = string | number;

// zod v4 keeps a schema's definition in `_zod.def`; these are the fields we read.
interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  entries?: Record<string, string | number>;
  values?: unknown[];
}

const WRAPPERS = new Set([
  "optional",
  "nullable",
  "default",
  "prefault",
  "readonly",
  "catch",
  "nonoptional",
]);

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips optional/default/pipe/lazy wrappers and splits unions into their options. */
function alternatives(schema: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 20) return [schema];
  const d = def(schema);
  if (WRAPPERS.has(d.type) && d.innerType) return alternatives(d.innerType, depth + 1);
  if (d.type === "pipe" && d.in) return alternatives(d.in, depth + 1);
  if (d.type === "lazy" && d.getter) return alternatives(d.getter(), depth + 1);
  if (d.type === "union" && d.options) return d.options.flatMap((o) => alternatives(o, depth + 1));
  if (d.type === "intersection" && d.left && d.right) {
    return [...alternatives(d.left, depth + 1), ...alternatives(d.right, depth + 1)];
  }
  return [schema];
}

/** True when the schema accepts any nested keys (records, unknown, any, loose objects). */
function isOpen(schema: z.ZodType): boolean {
  const d = def(schema);
  if (d.type === "record" || d.type === "unknown" || d.type === "any") return true;
  return d.type === "object" && d.catchall !== undefined && def(d.catchall).type !== "never";
}

function children(schema: z.ZodType, segment: Segment): z.ZodType[] {
  const d = def(schema);
  if (d.type === "object" && d.shape) {
    const child = d.shape[String(segment)];
    if (child) return [child];
    return d.catchall && def(d.catchall).type !== "never" ? [d.catchall] : [];
  }
  if (d.type === "record" && d.valueType) return [d.valueType];
  if (d.type === "array" && d.element && typeof segment === "number") return [d.element];
  if (d.type === "tuple" && typeof segment === "number") {
    const item = d.items?.[segment] ?? d.rest;
    return item ? [item] : [];
  }
  if (d.type === "unknown" || d.type === "any") return [schema];
  return [];
}

/** Every (unwrapped) schema that may apply at `path`; empty when the path is not allowed. */
export function schemasAt(schema: z.ZodType, path: readonly Segment[]): z.ZodType[] {
  let current = alternatives(schema);
  for (const segment of path) {
    current = current.flatMap((s) => children(s, segment)).flatMap((s) => alternatives(s));
    if (current.length === 0) return [];
  }
  return current;
}

/**
 * The keys an object at `path` may have, sorted. When `value` (the object found there) is given,
 * union alternatives whose literal fields (discriminators) disagree with it are left out.
 */
export function objectKeysAt(
  schema: z.ZodType,
  path: readonly Segment[],
  value?: unknown,
): string[] {
  const objects = schemasAt(schema, path).filter((s) => def(s).type === "object" && def(s).shape);
  const record = value !== null && typeof value === "object"
    ? value as Record<string, unknown>
    : undefined;
  const agrees = (s: z.ZodType) =>
    Object.entries(def(s).shape!).every(([key, field]) => {
      const d = def(alternatives(field)[0]);
      return d.type !== "literal" || record?.[key] === undefined ||
        (d.values ?? []).includes(record[key]);
    });
  const matching = record ? objects.filter(agrees) : objects;
  const keys = new Set<string>();
  for (const s of matching.length ? matching : objects) {
    Object.keys(def(s).shape!).forEach((k) => keys.add(k));
  }
  return [...keys].sort();
}

/** The enum or literal values allowed at `path`, as strings (for "did you mean"). */
export function allowedValuesAt(schema: z.ZodType, path: readonly Segment[]): string[] {
  const values = new Set<string>();
  for (const s of schemasAt(schema, path)) {
    const d = def(s);
    if (d.type === "enum" && d.entries) {
      Object.values(d.entries).forEach((v) => values.add(String(v)));
    }
    if (d.type === "literal" && d.values) d.values.forEach((v) => values.add(String(v)));
  }
  return [...values];
}

/** True when a dotted key path such as `model.conv_dropout` names a parameter the schema allows. */
export function isKnownPath(schema: z.ZodType, dotted: string): boolean {
  const segments = dotted.split(".");
  let current = alternatives(schema);
  for (const segment of segments) {
    if (current.some(isOpen)) return true;
    current = current.flatMap((s) => children(s, segment)).flatMap((s) => alternatives(s));
    if (current.length === 0) return false;
  }
  return true;
}

/** All dotted key paths the schema names (objects and their leaves), for suggestions. */
export function knownPaths(schema: z.ZodType, prefix = "", depth = 0): string[] {
  if (depth > 8) return [];
  const paths: string[] = [];
  for (const s of alternatives(schema)) {
    const d = def(s);
    if (d.type !== "object" || !d.shape) continue;
    for (const [key, child] of Object.entries(d.shape)) {
      const path = prefix ? `${prefix}.${key}` : key;
      paths.push(path, ...knownPaths(child, path, depth + 1));
    }
  }
  return [...new Set(paths)];
}
