/**
 * Formats rows as a plain-text table with a header, columns padded to the widest cell. Loops
 * instead of spreading rows into `Math.max`, so any number of rows fits (a 100,000-run sweep).
 */
export function formatTable(header: string[], rows: string[][]): string {
  return [...formatTableChunks(header, rows)].join("\n");
}

/**
 * {@linkcode formatTable}'s text in pieces of at most `linesPerChunk` lines (joined by "\n" they
 * are that text), built one at a time: a 200,000-row table is printed without ever holding its
 * whole text.
 */
export function* formatTableChunks(
  header: string[],
  rows: readonly string[][],
  linesPerChunk = 1000,
): Generator<string> {
  const widths = header.map((h) => h.length);
  for (const row of rows) {
    for (let i = 0; i < widths.length; i++) {
      const length = (row[i] ?? "").length;
      if (length > widths[i]) widths[i] = length;
    }
  }
  const line = (cells: string[]) =>
    cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i])).join("  ").trimEnd();
  let lines = [line(header), line(widths.map((w) => "-".repeat(w)))];
  for (const row of rows) {
    if (lines.length >= linesPerChunk) {
      yield lines.join("\n");
      lines = [];
    }
    lines.push(line(row));
  }
  yield lines.join("\n");
}

/** A stage's label in tables: its id, plus the other ids that share its fingerprint. */
export function stageLabel(stage: { ids: readonly string[] }): string {
  const [id, ...others] = stage.ids;
  if (others.length === 0) return id;
  return `${id} (same as ${others[0]}${others.length > 1 ? ` +${others.length - 1}` : ""})`;
}
