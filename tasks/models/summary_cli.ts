/**
 * `deno task summary <model> [--key value ...] [--input h,w,c] [--classes n] [--batch n]`
 * prints the torchinfo-like summary of a model. Option values are parsed as JSON when they can
 * be (`--depth 50`, `--blocks [[64],[128]]`), else taken as strings (`--shortcut A`).
 */
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "./model_families.ts";
import { formatSummary } from "./format_summary.ts";
import { MODEL_NAMES, parseModelOptions } from "./model_families.ts";
import { requiredInputShape } from "./model_families.ts";
import { summarizeModel } from "./summarize_model.ts";

/** What the command line asks for. */
export interface SummaryArgs {
  options: Record<string, unknown>;
  /** Data shape `[h, w, c]`; the model's required input is derived from it. Default 28,28,1. */
  input: [number, number, number];
  /** Default 10. */
  classes: number;
  /** Batch size for shapes and mult-adds. Default 64 (as in lab report 000). */
  batch: number;
}

function value(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Parses `<model> [--key value ...]`.
 * @throws Error with usage when the model name is missing or a flag has no value.
 */
export function parseSummaryArgs(argv: string[]): SummaryArgs {
  const usage =
    `usage: deno task summary <model> [--option value ...] [--input h,w,c] [--classes n] [--batch n]\nmodels: ${
      MODEL_NAMES.join(", ")
    }`;
  const [name, ...rest] = argv;
  if (name === undefined || name.startsWith("--")) throw new Error(`Missing model name.\n${usage}`);
  const args: SummaryArgs = { options: { name }, input: [28, 28, 1], classes: 10, batch: 64 };
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i];
    const text = rest[i + 1];
    if (!flag.startsWith("--") || text === undefined) {
      throw new Error(`Cannot read argument '${flag}': expected --key value.\n${usage}`);
    }
    const key = flag.slice(2).replaceAll("-", "_");
    if (key === "input") {
      const dims = text.split(",").map(Number);
      if (dims.length !== 3 || !dims.every((d) => Number.isInteger(d) && d > 0)) {
        throw new Error(`Cannot read --input as h,w,c positive integers: current value is ${text}`);
      }
      args.input = dims as [number, number, number];
    } else if (key === "classes" || key === "batch") {
      const n = Number(text);
      if (!Number.isInteger(n) || n <= 0) {
        throw new Error(`Cannot read --${key} as a positive integer: current value is ${text}`);
      }
      args[key] = n;
    } else args.options[key] = value(text);
  }
  return args;
}

/** Builds the model and returns its formatted summary. */
export function summaryText(args: SummaryArgs): string {
  const options = parseModelOptions(args.options);
  const inputShape = requiredInputShape(options, args.input);
  const model = buildModel(options, { inputShape, classes: args.classes, seed: 0 });
  try {
    return `${JSON.stringify(options)}\n${formatSummary(summarizeModel(model, args.batch))}`;
  } finally {
    model.dispose();
  }
}

if (import.meta.main) {
  try {
    await tf.setBackend("cpu");
    console.log(summaryText(parseSummaryArgs(Deno.args)));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    Deno.exit(2);
  }
}
