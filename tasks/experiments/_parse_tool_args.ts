/**
 * Command-line parsing shared by the experiment tools (`runs`, `compare`, `export`, `predict`):
 * `node:util` parseArgs with one-line messages for unknown options.
 * @module
 */
import { parseArgs } from "node:util";
import { didYouMean } from "../../pipelines/config/_did_you_mean.ts";

/** A bad command line: the tool prints the message (and its usage) and exits with code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

type Options = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

/**
 * Parses `args` against `options`.
 * @throws {UsageError} `Cannot parse the command line as '--x' is not a known option: …`.
 */
export function parseToolArgs<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = message.match(/^Unknown option '(-{1,2}[^']+)'/)?.[1];
    const reason = unknown
      ? `'${unknown}' is not a known option: ${
        didYouMean(unknown.replace(/^-+/, ""), Object.keys(options))
      }`
      : message.split(". ")[0].replace(/\.$/, "");
    throw new UsageError(`Cannot parse the command line as ${reason}`);
  }
}

/** Reads a positive integer option. @throws {UsageError} naming the option and the value. */
export function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(
      `Cannot parse the command line as --${name} must be a positive integer: current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  return n;
}
