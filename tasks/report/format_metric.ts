/**
 * Turns numbers into the text the report shows: one place decides decimals and units so the
 * Markdown, the HTML and the tests agree.
 * @module
 */
import type { MeanStd } from "./mean_std.ts";

/** What kind of number is formatted. */
export type MetricKind = "accuracy" | "loss" | "integer" | "count" | "seconds" | "rate" | "lr";

/** Options of {@linkcode formatMetric}. */
export interface FormatMetricOptions {
  /** Accuracies as "98.12 %" or "0.9812". Default: "percent". */
  accuracy?: "percent" | "fraction";
  /** Decimals of a percentage (a fraction gets two more). Default: 2. */
  decimals?: number;
}

/** Shown for a missing or non-finite value. */
export const MISSING = "—";

/**
 * Formats one number.
 * - accuracy: `98.12 %` or `0.9812`; loss: 4 decimals; integer: thousands separated by commas;
 * - count: a whole number as is, else one decimal (a mean number of epochs);
 * - seconds: `12.3 s`, `4 min 05 s`, `1 h 02 min`; rate: images/s with no decimals above 100;
 * - lr: 3 significant digits (`0.001`, `1.50e-5`).
 * @returns the text, or "—" for null, NaN and ±Infinity
 */
export function formatMetric(
  kind: MetricKind,
  value: number | null | undefined,
  options: FormatMetricOptions = {},
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  const decimals = options.decimals ?? 2;
  switch (kind) {
    case "accuracy":
      return (options.accuracy ?? "percent") === "percent"
        ? `${(value * 100).toFixed(decimals)} %`
        : value.toFixed(decimals + 2);
    case "loss":
      return value.toFixed(4);
    case "integer":
      return Math.round(value).toLocaleString("en-US");
    case "count":
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case "seconds":
      return formatSeconds(value);
    case "rate":
      return value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toFixed(1);
    case "lr":
      return value !== 0 && (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e4)
        ? value.toExponential(2)
        : String(Number(value.toPrecision(3)));
  }
}

/**
 * Formats a mean ± std, e.g. `98.12 ± 0.08 %`; a single value is formatted as with
 * {@linkcode formatMetric}.
 */
export function formatMeanStd(
  kind: MetricKind,
  stat: MeanStd,
  options: FormatMetricOptions = {},
): string {
  if (stat.n === 0) return MISSING;
  if (stat.std === null || (kind === "count" && stat.std === 0)) {
    return formatMetric(kind, stat.mean, options);
  }
  if (kind === "accuracy" && (options.accuracy ?? "percent") === "percent") {
    const decimals = options.decimals ?? 2;
    return `${(stat.mean * 100).toFixed(decimals)} ± ${(stat.std * 100).toFixed(decimals)} %`;
  }
  return `${formatMetric(kind, stat.mean, options)} ± ${formatMetric(kind, stat.std, options)}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  if (total < 3600) {
    return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, "0")} s`;
  }
  const minutes = Math.round(total / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}
