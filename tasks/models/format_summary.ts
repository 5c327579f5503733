/** `formatSummary`: a {@link ModelSummary} as a torchinfo-like text table. */
import type { ModelSummary } from "./summarize_model.ts";

const int = (n: number) => n.toLocaleString("en-US");

/** torchinfo prints mult-adds in M below 1 G, else in G, with two decimals. */
export function formatMultAdds(n: number): string {
  return n >= 1e9
    ? `Total mult-adds (G): ${(n / 1e9).toFixed(2)}`
    : `Total mult-adds (M): ${(n / 1e6).toFixed(2)}`;
}

/**
 * Renders the summary as a fixed-width table (layer, output shape, params, mult-adds) followed by
 * the totals torchinfo prints, plus the BatchNorm buffers PyTorch does not count as params.
 */
export function formatSummary(s: ModelSummary): string {
  const head = ["Layer (type)", "Output Shape", "Param #", "Mult-Adds"];
  const body = s.rows.map((r) => [
    `${r.name} (${r.type})`,
    `[${r.outputShape.join(", ")}]`,
    r.params > 0 ? int(r.params) : "--",
    r.multAdds > 0 ? int(r.multAdds) : "--",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("   ");
  const rule = "=".repeat(line(head).length);
  return [
    rule,
    line(head),
    rule,
    ...body.map(line),
    rule,
    `Total params: ${int(s.totalParams)}`,
    `Trainable params: ${int(s.trainableParams)}`,
    `Non-trainable params: ${int(s.nonTrainableParams)}`,
    `Buffers (BatchNorm running mean/var, not params): ${int(s.buffers)}`,
    formatMultAdds(s.multAdds),
    rule,
    `Input size (MB): ${s.inputMB.toFixed(2)}`,
    `Forward/backward pass size (MB): ${s.forwardBackwardMB.toFixed(2)}`,
    `Params size (MB): ${s.paramsMB.toFixed(2)}`,
    `Estimated Total Size (MB): ${s.totalMB.toFixed(2)}`,
    rule,
  ].join("\n");
}
