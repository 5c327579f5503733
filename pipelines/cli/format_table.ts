/**
 * Formats rows as a plain-text table with a header, columns padded to the widest cell. Loops
 * instead of spreading rows into `Math.max`, so any number of rows fits (a 100,000-run sweep).
 */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    for (let i = 0; i < widths.length; i++) {
      const length = (row[i] ?? "").length;
      if (length > widths[i]) widths[i] = length;
    }
  }
  const line = (cells: string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd();
  const lines = [line(header), line(widths.map((w) => "-".repeat(w)))];
  for (const row of rows) lines.push(line(row));
  return lines.join("\n");
}

/** A stage's label in tables: its id, plus the other ids that share its fingerprint. */
export function stageLabel(stage: { ids: readonly string[] }): string {
  const [id, ...others] = stage.ids;
  if (others.length === 0) return id;
  return `${id} (same as ${others[0]}${others.length > 1 ? ` +${others.length - 1}` : ""})`;
}
