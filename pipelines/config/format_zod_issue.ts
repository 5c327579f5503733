import type { z } from "zod";
import { didYouMean } from "./_did_you_mean.ts";
import { configError, formatValue } from "./config_error.ts";
import type { ConfigError, SourceLocation } from "./config_error.ts";
import { allowedValuesAt, objectKeysAt } from "./schema_paths.ts";

type Segment = string | number;

/** Where the value at a path was written; `key: true` asks for the key (unknown-key errors). */
export type Locate = (path: Segment[], options: { key?: boolean }) => SourceLocation;

/** Options of {@linkcode formatZodIssue}. */
export interface FormatZodIssueOptions {
  /** The schema that produced the issue (for "did you mean" over keys and enum values). */
  schema: z.ZodType;
  /** The value that was validated (to quote the current value). */
  input: unknown;
  /** Maps an issue path to a file position. */
  locate: Locate;
  /** Prepended to the key path in messages (e.g. `["report"]`). Default: none. */
  labelPrefix?: Segment[];
  /** Appended in parentheses, e.g. `run 'lenet-seed=1'`. Default: nothing. */
  context?: string;
}

/** `train.lr`, `sweep[1].mode`. */
export function formatKeyPath(path: readonly Segment[]): string {
  return path.map((s, i) => typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`).join("");
}

function valueAt(input: unknown, path: readonly Segment[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[segment as string];
  }
  return value;
}

const TYPE_NAMES: Record<string, string> = {
  number: "a number",
  int: "an integer",
  string: "a string",
  boolean: "true or false",
  object: "a map of keys",
  record: "a map of keys",
  array: "a list",
  bigint: "an integer",
};

function sizeWord(origin: string): string {
  return origin === "string" ? "character" : "item";
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => `'${String(v)}'`).join(", ");
}

/** The "must …" part of a message for one issue, and the path the issue is about. */
function describe(
  issue: z.core.$ZodIssue,
  options: FormatZodIssueOptions,
): { path: Segment[]; reason: string; key?: boolean } {
  const path = issue.path as Segment[];
  const current = valueAt(options.input, path);
  const currentText = current === undefined
    ? "it is missing"
    : `current value is ${formatValue(current)}`;
  switch (issue.code) {
    case "invalid_type": {
      const expected = TYPE_NAMES[issue.expected] ?? `of type ${issue.expected}`;
      return { path, reason: `must be ${expected}: ${currentText}` };
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "number" || issue.origin === "bigint") {
        const what = min === 0 && !issue.inclusive
          ? "a positive number"
          : `${issue.inclusive ? "at least" : "greater than"} ${min}`;
        return { path, reason: `must be ${what}: ${currentText}` };
      }
      const unit = sizeWord(issue.origin);
      return {
        path,
        reason: `must have at least ${min} ${unit}${min === 1 ? "" : "s"}: ${currentText}`,
      };
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "number" || issue.origin === "bigint") {
        return {
          path,
          reason: `must be ${issue.inclusive ? "at most" : "less than"} ${max}: ${currentText}`,
        };
      }
      const unit = sizeWord(issue.origin);
      return {
        path,
        reason: `must have at most ${max} ${unit}${max === 1 ? "" : "s"}: ${currentText}`,
      };
    }
    case "invalid_value": {
      const close = typeof current === "string"
        ? didYouMean(current, issue.values.map(String), { listWhenFar: false })
        : "";
      const hint = close ? `; ${close}` : "";
      return { path, reason: `must be one of ${quoteList(issue.values)}: ${currentText}${hint}` };
    }
    case "unrecognized_keys": {
      const key = issue.keys[0];
      const present = Object.keys(current ?? {});
      const allowed = objectKeysAt(options.schema, path, current);
      const unused = allowed.filter((k) => !present.includes(k));
      const hint = didYouMean(key, unused.length ? unused : allowed);
      return {
        path: [...path, key],
        key: true,
        reason: `is not a known key${hint ? `: ${hint}` : ""}`,
      };
    }
    case "invalid_union": {
      const discriminated = issue as { options?: unknown[] };
      if (discriminated.options) {
        const values = discriminated.options.map(String);
        const close = typeof current === "string"
          ? didYouMean(current, values, { listWhenFar: false })
          : "";
        const hint = close ? `; ${close}` : "";
        return { path, reason: `must be one of ${quoteList(values)}: ${currentText}${hint}` };
      }
      // Alternatives whose type matched the value explain best; if none did, list the types.
      const matched = issue.errors.filter((e) =>
        e[0] && !(e[0].code === "invalid_type" && e[0].path.length === 0)
      );
      const closest = [...matched].sort((a, b) => a.length - b.length)[0];
      if (closest?.[0]) {
        const inner = closest[0];
        return describe({ ...inner, path: [...path, ...inner.path] } as z.core.$ZodIssue, options);
      }
      const expected = issue.errors.map((e) =>
        e[0]?.code === "invalid_type" ? e[0].expected : undefined
      );
      if (expected.length && expected.every((e) => e !== undefined)) {
        const names = [...new Set(expected.map((e) => TYPE_NAMES[e!] ?? `of type ${e}`))];
        return { path, reason: `must be ${names.join(" or ")}: ${currentText}` };
      }
      const allowed = allowedValuesAt(options.schema, path);
      const list = allowed.length ? ` (${quoteList(allowed)})` : "";
      return { path, reason: `does not match any allowed form${list}: ${currentText}` };
    }
    case "invalid_key": {
      const inner = issue.issues[0];
      const why = inner?.code === "invalid_format" && !inner.message.startsWith("Invalid")
        ? inner.message
        : inner?.message ?? issue.message;
      return { path, key: true, reason: `is not an allowed name: ${why}` };
    }
    case "custom": {
      if ((issue.params as { name?: boolean } | undefined)?.name) {
        return { path, reason: `is not an allowed name: ${issue.message}: ${currentText}` };
      }
      return { path, reason: `${issue.message}: ${currentText}` };
    }
    case "not_multiple_of":
      return { path, reason: `must be a multiple of ${issue.divisor}: ${currentText}` };
    case "invalid_format": {
      if (!issue.message.startsWith("Invalid")) {
        return { path, reason: `${issue.message}: ${currentText}` };
      }
      const pattern = (issue as { pattern?: string }).pattern;
      const what = pattern ? `match ${pattern}` : `be a valid ${issue.format}`;
      return { path, reason: `must ${what}: ${currentText}` };
    }
    default:
      return { path, reason: `${issue.message}: ${currentText}` };
  }
}

/** Formats one zod issue as `Cannot read file:line:col as 'key.path' must …: current value is …`. */
export function formatZodIssue(
  issue: z.core.$ZodIssue,
  options: FormatZodIssueOptions,
): ConfigError {
  const { path, reason, key } = describe(issue, options);
  const label = formatKeyPath([...(options.labelPrefix ?? []), ...path]);
  const subject = label ? `'${label}' ` : "the file ";
  const context = options.context ? ` (${options.context})` : "";
  return configError(options.locate(path, { key }), `${subject}${reason}${context}`);
}
