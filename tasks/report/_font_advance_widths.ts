/**
 * Reads horizontal advance widths from a TrueType font (tables head, hhea, hmtx and a format 4
 * cmap), enough to measure a line of text the way a renderer lays it out, minus kerning.
 * @module
 */

/** Width of `text` in ems (multiply by the font size for pixels). */
export type TextWidth = (text: string) => number;

/** Width of one character in ems, or null when the font has no glyph for it. */
export type GlyphWidth = (code: number) => number | null;

/**
 * Parses the font's metrics.
 * @returns a function measuring text in ems; characters without a glyph count as the font's
 *   missing-glyph width
 * @throws Error when a required table or a Unicode BMP cmap is absent
 */
export function fontAdvanceWidths(font: Uint8Array): TextWidth {
  const glyph = fontGlyphWidths(font);
  const missing = glyph(0xffff) ?? 0;
  return (text: string) => {
    let ems = 0;
    for (const char of text) ems += glyph(char.codePointAt(0)!) ?? missing;
    return ems;
  };
}

/**
 * Parses the font's metrics, per character.
 * @returns the width of a character in ems, null when the font has no glyph for it (code
 *   0xFFFF, never a character, gives the missing-glyph width)
 * @throws Error when a required table or a Unicode BMP cmap is absent
 */
export function fontGlyphWidths(font: Uint8Array): GlyphWidth {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const tables = new Map<string, number>();
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const record = 12 + 16 * i;
    const tag = String.fromCharCode(...font.subarray(record, record + 4));
    tables.set(tag, view.getUint32(record + 8));
  }
  const table = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`Cannot read the font as it has no '${tag}' table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(table("head") + 18);
  const metricsCount = view.getUint16(table("hhea") + 34);
  const hmtx = table("hmtx");
  const advance = (glyph: number) => view.getUint16(hmtx + 4 * Math.min(glyph, metricsCount - 1));
  const glyphOf = cmapFormat4(view, table("cmap"));
  const cache = new Map<number, number | null>();
  return (code: number) => {
    let width = cache.get(code);
    if (width === undefined) {
      const glyph = code === 0xffff ? 0 : code < 0xffff ? glyphOf(code) : -1;
      width = glyph < 0 || (glyph === 0 && code !== 0xffff) ? null : advance(glyph) / unitsPerEm;
      cache.set(code, width);
    }
    return width;
  };
}

/** The glyph lookup of the Windows Unicode BMP (3, 1) cmap subtable, which must be format 4. */
function cmapFormat4(view: DataView, cmap: number): (code: number) => number {
  const subtables = view.getUint16(cmap + 2);
  let sub = -1;
  for (let i = 0; i < subtables; i++) {
    const record = cmap + 4 + 8 * i;
    if (view.getUint16(record) === 3 && view.getUint16(record + 2) === 1) {
      sub = cmap + view.getUint32(record + 4);
    }
  }
  if (sub < 0 || view.getUint16(sub) !== 4) {
    throw new Error("Cannot read the font as it has no format 4 Unicode BMP cmap");
  }
  const segments = view.getUint16(sub + 6) / 2;
  const ends = sub + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  return (code: number) => {
    for (let s = 0; s < segments; s++) {
      if (code > view.getUint16(ends + 2 * s)) continue;
      const start = view.getUint16(starts + 2 * s);
      if (code < start) return 0;
      const delta = view.getUint16(deltas + 2 * s);
      const rangeOffsetAt = rangeOffsets + 2 * s;
      const rangeOffset = view.getUint16(rangeOffsetAt);
      if (rangeOffset === 0) return (code + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsetAt + rangeOffset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
}
