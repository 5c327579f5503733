/**
 * Small helpers for the hand-drawn SVG figures (image grids, the stage graph): escaping, one line
 * of text cut to a width, and the document frame. Text uses the charts' font so SVG, PNG and
 * HTML agree.
 * @module
 */
import { CHART_FONT } from "../charts/chart_config.ts";
import { fitText } from "../text_width.ts";

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/** Options of {@linkcode svgText}. */
export interface SvgTextOptions {
  size?: number;
  bold?: boolean;
  fill?: string;
  anchor?: "start" | "middle" | "end";
  /** Cut with "…" to this many pixels. Default: no limit. */
  maxWidth?: number;
}

/** One `<text>` element at (x, y) (y is the baseline). */
export function svgText(x: number, y: number, text: string, options: SvgTextOptions = {}): string {
  const size = options.size ?? 11;
  const shown = options.maxWidth ? fitText(text, size, options.maxWidth, options.bold) : text;
  const attributes = [
    `x="${round(x)}"`,
    `y="${round(y)}"`,
    `font-size="${size}"`,
    ...(options.bold ? ['font-weight="bold"'] : []),
    `fill="${options.fill ?? "#1d232b"}"`,
    ...(options.anchor && options.anchor !== "start" ? [`text-anchor="${options.anchor}"`] : []),
  ];
  return `<text ${attributes.join(" ")}>${escapeXml(shown)}</text>`;
}

/** The document around `body`: size, white background, the chart font. */
export function svgDocument(width: number, height: number, body: string[], label: string): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" ` +
    `aria-label="${escapeXml(label)}" font-family="${CHART_FONT}, sans-serif">\n` +
    `<rect width="${w}" height="${h}" fill="white"/>\n${body.join("\n")}\n</svg>\n`;
}

/** Rounds a coordinate to 0.1 px (stable text, no float noise). */
export function round(value: number): number {
  return Math.round(value * 10) / 10;
}
