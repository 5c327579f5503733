/**
 * Axis encodings whose ticks are computed here rather than by vega, so that every chart has
 * integer epoch ticks, percentage labels that never collide, and a readable range whatever
 * the number of epochs (1 or 1,000) or the spread of the values.
 * @module
 */
import { maxOf, minOf } from "../extent.ts";

/** Minimum horizontal room per tick label, in pixels ("100%" is about 30 px at 11 px). */
const PIXELS_PER_LABEL = 56;

/**
 * Ticks at multiples of a 1-2-5 step covering [lo, hi], at most `maxCount` of them.
 * @returns the tick values, ascending, each rounded to the step's precision
 */
export function niceTicks(lo: number, hi: number, maxCount: number, minStep = 0): number[] {
  const span = hi - lo;
  if (!(span > 0) || maxCount < 2) return [lo];
  const raw = Math.max(span / (maxCount - 1), minStep);
  const power = 10 ** Math.floor(Math.log10(raw));
  // 2.5 only where it stays an integer on integer axes (25, 250 epochs).
  const step = [1, 2, 2.5, 5, 10]
    .map((m) => m * power)
    .filter((s) => minStep < 1 || decimalsOf(s) === 0)
    .find((s) => s >= raw - 1e-12)!;
  const first = Math.ceil(lo / step - 1e-9) * step;
  const digits = decimalsOf(step) + 2;
  const ticks: number[] = [];
  for (let i = 0; first + i * step <= hi + step * 1e-9; i++) {
    ticks.push(Number((first + i * step).toFixed(digits)));
  }
  return ticks;
}

/** The decimals needed to write `x` exactly (at most 8). */
function decimalsOf(x: number): number {
  for (let d = 0; d < 8; d++) {
    const scaled = x * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, Math.abs(scaled))) return d;
  }
  return 8;
}

/**
 * The x encoding of an epoch axis: integer ticks only (a 1-2-5 step fitting the width), a
 * domain padded by half an epoch when all points sit on one epoch (a 1-epoch run).
 */
export function epochX(epochs: readonly number[], width: number) {
  const lo = minOf(epochs);
  const hi = maxOf(epochs);
  const single = !(hi > lo);
  const maxCount = Math.max(2, Math.floor(width / 40));
  return {
    field: "epoch",
    type: "quantitative",
    title: "epoch",
    scale: { domain: single ? [lo - 0.5, hi + 0.5] : [lo, hi], nice: false, zero: false },
    axis: { values: single ? [lo] : niceTicks(lo, hi, maxCount, 1), format: "d" },
  } as const;
}

/**
 * A percentage axis over [lo, hi] (fractions): a 1-2-5 step (0.1 %, 0.2 %, 0.5 %, 1 %, …) with
 * at most one label per 56 pixels of `length`, the domain snapped outward to whole steps so both
 * ends carry a label, and as many decimals as the step needs ("45.5%"), none more.
 */
export function percentScale(
  lo: number,
  hi: number,
  length: number,
  options: { clamp?: boolean } = {},
) {
  let min = Math.max(0, Math.min(lo, hi));
  let max = Math.min(1, Math.max(lo, hi));
  if (!(max - min > 1e-9)) {
    min = Math.max(0, min - 0.005);
    max = Math.min(1, max + 0.005);
  }
  const maxCount = Math.max(2, Math.min(11, Math.floor(length / PIXELS_PER_LABEL) + 1));
  const steps = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];
  for (const step of steps) {
    const from = Math.max(0, Math.floor(min / step + 1e-9));
    const to = Math.min(Math.round(1 / step), Math.ceil(max / step - 1e-9));
    if (to - from + 1 > maxCount && step < 0.5) continue;
    const digits = decimalsOf(step) + 1;
    const ticks = Array.from(
      { length: to - from + 1 },
      (_, i) => Number(((from + i) * step).toFixed(digits)),
    );
    return {
      scale: {
        domain: [ticks[0], ticks.at(-1)!],
        nice: false,
        zero: false,
        ...(options.clamp ? { clamp: true } : {}),
      },
      axis: { values: ticks, format: `.${decimalsOf(step * 100)}%` },
    };
  }
  throw new Error("unreachable: the 50 % step always fits");
}

/**
 * A linear or log scale over positive values (losses, learning rates): log when they span more
 * than `logRatio`. A log axis is labelled at powers of ten only (vega would also label 2×, 3×,
 * … which collide when stacked), with the domain widened to whole decades.
 */
export function positiveScale(values: readonly number[], logRatio: number) {
  const finite = values.filter((v) => Number.isFinite(v));
  const min = minOf(finite);
  const max = maxOf(finite);
  const log = min > 0 && max / min > logRatio;
  if (!log) {
    const scale: { type?: "log"; zero?: boolean } = { zero: false };
    return { log, scale };
  }
  const from = Math.floor(Math.log10(min) + 1e-9);
  const to = Math.ceil(Math.log10(max) - 1e-9);
  const values10 = Array.from({ length: to - from + 1 }, (_, i) => Number(`1e${from + i}`));
  const scale: { type?: "log"; zero?: boolean; domain?: number[]; nice?: boolean } = {
    type: "log",
    domain: [values10[0], values10.at(-1)!],
    nice: false,
  };
  return { log, scale, axis: { values: values10, format: "~g" } };
}
