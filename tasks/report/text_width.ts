/**
 * Measures text as the PNG renderer draws it: DejaVu Sans for every character it has, the CJK
 * fallback font for the others.
 * @module
 */
import { bundledFonts, cjkFont } from "./_bundled_fonts.ts";
import { fontGlyphWidths, type GlyphWidth } from "./_font_advance_widths.ts";

let widths: { regular: GlyphWidth; bold: GlyphWidth; cjk: GlyphWidth | null } | undefined;

function glyphs() {
  if (!widths) {
    const fonts = bundledFonts();
    const fallback = cjkFont();
    widths = {
      regular: fontGlyphWidths(fonts.regular),
      bold: fontGlyphWidths(fonts.bold),
      cjk: fallback ? fontGlyphWidths(fallback) : null,
    };
  }
  return widths;
}

/**
 * The width of one line of text in pixels at `fontSize`, bold or not; a character neither font
 * has counts as DejaVu's missing-glyph box.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const g = glyphs();
  const main = bold ? g.bold : g.regular;
  const missing = main(0xffff) ?? 0;
  let ems = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    ems += main(code) ?? g.cjk?.(code) ?? missing;
  }
  return ems * fontSize;
}

/** Whether `text` has a character DejaVu Sans cannot draw (it then needs the CJK font). */
export function needsFallbackFont(text: string): boolean {
  const { regular } = glyphs();
  for (const char of text) {
    const code = char.codePointAt(0)!;
    // Control characters (newlines) are never drawn.
    if (code >= 0x20 && regular(code) === null) return true;
  }
  return false;
}

/**
 * Cuts `text` to fit `maxWidth` pixels, ending it with "…" when it had to be cut.
 */
export function fitText(text: string, fontSize: number, maxWidth: number, bold = false): string {
  if (textWidth(text, fontSize, bold) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(chars.join("") + "…", fontSize, bold) > maxWidth) {
    chars.pop();
  }
  return chars.join("") + "…";
}
