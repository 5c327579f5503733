/**
 * Rasterizes an SVG chart to PNG with resvg (WASM) and the bundled DejaVu Sans font, so text
 * renders the same on every machine whatever fonts it has.
 * @module
 */
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { bundledFonts } from "./_bundled_fonts.ts";
import { packageFile } from "./_package_file.ts";
import { CHART_FONT } from "./charts/chart_config.ts";

/** Options of {@linkcode renderPng}. */
export interface RenderPngOptions {
  /** PNG pixels per SVG pixel. Default: 2. */
  scale?: number;
}

/** A rendered PNG. */
export interface RenderedPng {
  png: Uint8Array;
  width: number;
  height: number;
}

let ready: Promise<Uint8Array[]> | undefined;

/** Loads the WASM module once per process (resvg refuses a second initialisation). */
function init(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    await initWasm(await Deno.readFile(packageFile("@resvg/resvg-wasm", "index_bg.wasm")));
    const fonts = bundledFonts();
    return [fonts.regular, fonts.bold];
  })();
  return ready;
}

/**
 * Rasterizes one SVG document. System fonts are not loaded: every family falls back to the
 * bundled DejaVu Sans.
 * @returns the PNG bytes and their pixel size (SVG size × scale, rounded)
 */
export async function renderPng(svg: string, options: RenderPngOptions = {}): Promise<RenderedPng> {
  const fontBuffers = await init();
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
