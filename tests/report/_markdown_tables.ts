/**
 * Reads pipe tables back out of report.md, so tests check what a reader sees.
 * @module
 */

/** A parsed Markdown table: header cells and body rows, cells trimmed, `\|` unescaped. */
export interface ParsedTable {
  headers: string[];
  rows: string[][];
}

/** Every pipe table in the text, in order. */
export function markdownTables(markdown: string): ParsedTable[] {
  const lines = markdown.split("\n");
  const tables: ParsedTable[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith("|") || !/^\|( ?:?-+:? ?\|)+$/.test(lines[i + 1])) continue;
    const headers = cells(lines[i]);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j].startsWith("|"); j++) rows.push(cells(lines[j]));
    tables.push({ headers, rows });
    i = j;
  }
  return tables;
}

/** The first table whose header starts with the given cells. */
export function tableStartingWith(markdown: string, ...headers: string[]): ParsedTable {
  const table = markdownTables(markdown).find((t) => headers.every((h, i) => t.headers[i] === h));
  if (!table) throw new Error(`No table starting with ${headers.join(" | ")}`);
  return table;
}

function cells(line: string): string[] {
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replaceAll("\\|", "|"));
}

/** "89.40 %" → 0.894, "0.8940" → 0.894; "—" → null. */
export function parseAccuracy(text: string): number | null {
  const clean = text.replaceAll("**", "");
  if (clean === "—") return null;
  return clean.endsWith("%") ? Number(clean.slice(0, -1).trim()) / 100 : Number(clean);
}

/** "61,706" → 61706, "0.4429" → 0.4429; "—" → null. */
export function parseNumber(text: string): number | null {
  const clean = text.replaceAll("**", "").replaceAll(",", "");
  return clean === "—" ? null : Number(clean);
}

/** "41.5 s" → 41.5, "1 min 25 s" → 85, "1 h 02 min" → 3720. */
export function parseDuration(text: string): number {
  let m = text.match(/^([\d.]+) s$/);
  if (m) return Number(m[1]);
  m = text.match(/^(\d+) min (\d+) s$/);
  if (m) return Number(m[1]) * 60 + Number(m[2]);
  m = text.match(/^(\d+) h (\d+) min$/);
  if (m) return Number(m[1]) * 3600 + Number(m[2]) * 60;
  throw new Error(`Not a duration: ${text}`);
}
