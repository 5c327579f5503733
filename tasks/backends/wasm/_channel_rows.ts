/**
 * Views a `[rows, channels]` array as `[rows / k, channels · k]` so per-channel loops run over
 * long contiguous rows. With few channels (6 in LeNet's first layer) both XNNPACK's broadcasting
 * and a JS loop spend their time on row overhead, not on the arithmetic.
 * @module
 */

/** Aim for rows of at least this many values; longer ones gain nothing. */
const TARGET_WIDTH = 512;

/** The largest `k` dividing `rows` with `channels · k` ≤ max(channels, 512). */
export function rowsPerBlock(rows: number, channels: number): number {
  const limit = Math.max(1, Math.floor(TARGET_WIDTH / channels));
  for (let k = Math.min(limit, rows); k > 1; k--) if (rows % k === 0) return k;
  return 1;
}

/** `values` (one per channel) repeated `k` times: the per-column values of a block row. */
export function repeatChannels(values: ArrayLike<number>, k: number): Float32Array {
  const c = values.length;
  const out = new Float32Array(c * k);
  for (let t = 0; t < k; t++) for (let j = 0; j < c; j++) out[t * c + j] = values[j];
  return out;
}

/** Per-channel totals of per-column sums `columns` (`channels · k` long). */
export function foldChannels(columns: Float64Array, channels: number): Float64Array {
  const out = new Float64Array(channels);
  for (let i = 0; i < columns.length; i++) out[i % channels] += columns[i];
  return out;
}
