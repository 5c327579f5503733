/**
 * Draws rows of test images with captions as one SVG: each row a model (its most confident
 * mistakes) or a class (its samples). Images are embedded as PNG data, enlarged by repeating
 * pixels, so a 28×28 digit stays crisp.
 * @module
 */
import { encode } from "fast-png";
import { encodeBase64 } from "./_base64.ts";
import { textWidth } from "../text_width.ts";
import { round, svgDocument, svgText } from "./svg_text.ts";
import { maxOf } from "../extent.ts";

/** One image of a grid. */
export interface GridCell {
  /** Row-major [h, w, c] uint8 pixels (c = 1 or 3). */
  pixels: Uint8Array;
  shape: [number, number, number];
  /** One or two caption lines; the second is drawn in `accent`. */
  caption: string[];
  accent?: string;
}

/** One row: a label on the left, then its images. */
export interface GridRow {
  label: string;
  /** A second, smaller line under the label (e.g. "312 of 10,000 wrong"). */
  note?: string;
  cells: GridCell[];
}

const PAD = 10;
const CAPTION = 10;
/** Widest label column; longer row labels end in "…". */
const MAX_LABEL_WIDTH = 280;

/** Options of {@linkcode imageGridSvg}. */
export interface ImageGridOptions {
  /** Displayed image size in pixels (images are scaled by a whole factor to fit). Default: 56. */
  thumb?: number;
  /** Width of a cell, caption included. Default: 110. */
  cellWidth?: number;
}

/** Lays the rows out under a title (the figure is at least as wide as the title). */
export function imageGridSvg(
  title: string,
  rows: readonly GridRow[],
  options: ImageGridOptions = {},
): string {
  const thumb = options.thumb ?? 56;
  const columns = Math.max(1, maxOf(rows.map((r) => r.cells.length)));
  const cellWidth = Math.max(thumb, options.cellWidth ?? 110);
  const labelWidth = Math.min(
    MAX_LABEL_WIDTH,
    Math.max(
      80,
      ...rows.map((r) => Math.max(textWidth(r.label, 11, true), textWidth(r.note ?? "", 10)) + 16),
    ),
  );
  const rowHeight = thumb + 2 * (CAPTION + 3) + 10;
  const width = Math.max(
    PAD + labelWidth + columns * (cellWidth + 6) + PAD,
    2 * PAD + textWidth(title, 14, true),
  );
  const height = PAD + 24 + rows.length * rowHeight + PAD;
  const body = [svgText(PAD, PAD + 14, title, { size: 14, bold: true })];
  rows.forEach((row, r) => {
    const top = PAD + 24 + r * rowHeight;
    body.push(
      svgText(PAD, top + thumb / 2, row.label, { size: 11, bold: true, maxWidth: labelWidth - 8 }),
    );
    if (row.note) {
      body.push(svgText(PAD, top + thumb / 2 + 14, row.note, {
        size: 10,
        fill: "#5b6470",
        maxWidth: labelWidth - 8,
      }));
    }
    row.cells.forEach((cell, i) => {
      const left = PAD + labelWidth + i * (cellWidth + 6);
      const [h, w] = cell.shape;
      const factor = Math.max(1, Math.floor(thumb / Math.max(h, w)));
      const [dw, dh] = [w * factor, h * factor];
      const x = left + (cellWidth - dw) / 2;
      body.push(
        `<image x="${round(x)}" y="${round(top)}" width="${dw}" height="${dh}" ` +
          `xlink:href="data:image/png;base64,${pngBase64(cell, factor)}"/>`,
      );
      cell.caption.slice(0, 2).forEach((line, k) => {
        body.push(svgText(left + cellWidth / 2, top + thumb + 12 + k * (CAPTION + 3), line, {
          size: CAPTION,
          anchor: "middle",
          fill: k === 1 && cell.accent ? cell.accent : "#3b434d",
          maxWidth: cellWidth - 2,
        }));
      });
    });
  });
  return svgDocument(width, height, body, title);
}

/**
 * The image as PNG, enlarged `factor` times by repeating pixels: every viewer then shows the
 * digit's pixels sharp instead of smoothing a 28 × 28 image over 56 × 56.
 */
function pngBase64(cell: GridCell, factor: number): string {
  const [h, w, c] = cell.shape;
  if (c !== 1 && c !== 3) {
    throw new Error(`Cannot draw a test image with ${c} channels: only 1 (grey) or 3 (RGB)`);
  }
  const [H, W] = [h * factor, w * factor];
  const data = new Uint8Array(H * W * c);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const from = (Math.floor(y / factor) * w + Math.floor(x / factor)) * c;
      data.set(cell.pixels.subarray(from, from + c), (y * W + x) * c);
    }
  }
  return encodeBase64(encode({ width: W, height: H, data, channels: c, depth: 8 }));
}
