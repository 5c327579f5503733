/**
 * Rasterizes an SVG chart to PNG with resvg (WASM) and the bundled DejaVu Sans font, so text
 * renders the same on every machine whatever fonts it has; characters DejaVu lacks (CJK names)
 * are drawn with Debian's Droid Sans Fallback.
 * @module
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { bundledFonts, cjkFont, missingCjkFontMessage } from "./_bundled_fonts.ts";
import { packageFile } from "./_package_file.ts";
import { CHART_FONT } from "./charts/chart_config.ts";
import { needsFallbackFont } from "./text_width.ts";

/** Options of {@linkcode renderPng}. */
export interface RenderPngOptions {
  /** PNG pixels per SVG pixel. Default: 2. */
  scale?: number;
  /** Load the CJK font even when no text needs it (a CJK report language). Default: false. */
  cjk?: boolean;
  /** What is rendered, for the message when the CJK font is missing. Default: "the chart". */
  name?: string;
  /** Never load the CJK font (the tests' tofu rendering). Default: false. */
  withoutFallback?: boolean;
}

/** A rendered PNG. */
export interface RenderedPng {
  png: Uint8Array;
  width: number;
  height: number;
}

let ready: Promise<void> | undefined;

/** Loads the WASM module once per process (resvg refuses a second initialisation). */
function init(): Promise<void> {
  ready ??= (async () => {
    await initWasm(await Deno.readFile(packageFile("@resvg/resvg-wasm", "index_bg.wasm")));
  })();
  return ready;
}

/**
 * Rasterizes one SVG document. System fonts are not loaded: every family falls back to the
 * bundled DejaVu Sans, and characters it lacks to the CJK font.
 * @returns the PNG bytes and their pixel size (SVG size × scale, rounded)
 * @throws Error when the text needs the CJK font and it is not installed, saying how to install it
 */
export async function renderPng(svg: string, options: RenderPngOptions = {}): Promise<RenderedPng> {
  await init();
  const fonts = bundledFonts();
  const fontBuffers = [fonts.regular, fonts.bold];
  if (!options.withoutFallback && (options.cjk || needsFallbackFont(svg))) {
    const cjk = cjkFont();
    if (!cjk) throw new Error(missingCjkFontMessage(options.name ?? "the chart"));
    fontBuffers.push(cjk);
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: options.scale ?? 2 },
    font: {
      fontBuffers,
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
  });
  try {
    const image = resvg.render();
    try {
      return { png: image.asPng(), width: image.width, height: image.height };
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
