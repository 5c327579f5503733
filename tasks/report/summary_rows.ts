/**
 * Folds a long layer-by-layer model summary into blocks by layer-name prefix, so a DenseNet's
 * 428 layers read as a few dozen rows (torchinfo's `depth`, chosen automatically).
 * @module
 */
import type { StoredModelSummary as ModelSummary } from "../artifacts/model_summary.ts";
import { maxOf } from "./extent.ts";

/** One row of a (possibly folded) summary table. */
export interface SummaryTableRow {
  name: string;
  /** The layer type, or "12 layers" for a folded block. */
  type: string;
  /** The output shape of the block's last layer. */
  outputShape: unknown;
  params: number;
  multAdds: number | null;
}

/** A summary cut to at most `maxRows` rows. */
export interface FoldedSummary {
  rows: SummaryTableRow[];
  /** Name parts kept (e.g. 2 for "block1.layer3"); null when nothing was folded. */
  depth: number | null;
}

/**
 * Keeps every layer when there are at most `maxRows`; otherwise groups consecutive layers by the
 * first `depth` dot-separated parts of their names, for the deepest `depth` that fits (1 at
 * least), summing params and mult-adds.
 */
export function summaryRows(summary: ModelSummary, maxRows: number): FoldedSummary {
  const layers = summary.rows.map((r) => ({
    name: r.name,
    type: r.type,
    outputShape: r.outputShape,
    params: r.params,
    multAdds: r.multAdds ?? null,
  }));
  if (layers.length <= maxRows) return { rows: layers, depth: null };
  const deepest = maxOf(layers.map((l) => l.name.split(".").length));
  for (let depth = deepest - 1; depth >= 1; depth--) {
    const rows = fold(layers, depth);
    if (rows.length <= maxRows || depth === 1) return { rows, depth };
  }
  return { rows: fold(layers, 1), depth: 1 };
}

function fold(layers: SummaryTableRow[], depth: number): SummaryTableRow[] {
  const rows: (SummaryTableRow & { count: number })[] = [];
  for (const layer of layers) {
    const prefix = layer.name.split(".").slice(0, depth).join(".");
    const last = rows.at(-1);
    if (last && last.name === prefix) {
      last.count++;
      last.type = `${last.count} layers`;
      last.outputShape = layer.outputShape;
      last.params += layer.params;
      last.multAdds = last.multAdds === null || layer.multAdds === null
        ? null
        : last.multAdds + layer.multAdds;
    } else {
      rows.push({ ...layer, name: prefix, count: 1 });
    }
  }
  return rows.map(({ count: _count, ...row }) => row);
}
