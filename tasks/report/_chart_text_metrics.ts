/**
 * Makes headless vega measure text with the bundled font's real glyph widths instead of its
 * rough estimate (0.8 em per character), so legends and axis labels are laid out, and truncated,
 * as resvg will draw them (CJK characters with the fallback font's widths).
 * @module
 */
import * as vega from "vega";
import { textWidth } from "./text_width.ts";

let installed = false;

type TextWidthHook = (item: TextItem, text: unknown) => number;

/** The fields of a vega text item that measuring reads. */
interface TextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
  limit?: number;
}

/**
 * Replaces vega's `textMetrics.width` (a supported hook, used the same way by vl-convert) once
 * per process. Bold text (weight "bold" or ≥ 600) uses DejaVu Sans Bold's widths.
 */
export function useBundledFontMetrics(): void {
  if (installed) return;
  // vega exports textMetrics at run time; its type declarations leave it out.
  const metrics = (vega as unknown as { textMetrics?: { width: TextWidthHook } }).textMetrics;
  if (!metrics) throw new Error("Cannot measure chart text as vega no longer exports textMetrics");
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const line = text == null ? "" : String(text).trim();
    if (size <= 0 || line === "") return 0;
    const weight = item.fontWeight;
    const isBold = weight === "bold" || weight === "bolder" || Number(weight) >= 600;
    const width = textWidth(line, size, isBold);
    // A truncated label is drawn at most `limit` wide (vega truncates with this same function).
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  installed = true;
}
