/** Formats rows as a plain-text table with a header, columns padded to the widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A stage's label in tables: its id, plus the other ids that share its fingerprint. */
export function stageLabel(stage: { ids: readonly string[] }): string {
  const [id, ...others] = stage.ids;
  if (others.length === 0) return id;
  return `${id} (same as ${others[0]}${others.length > 1 ? ` +${others.length - 1}` : ""})`;
}
