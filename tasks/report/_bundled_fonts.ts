/**
 * The TrueType files of the font every chart uses (DejaVu Sans from the dejavu-fonts-ttf npm
 * package), read once per process.
 * @module
 */
import { packageFile } from "./_package_file.ts";

/** Regular and bold DejaVu Sans, as TTF bytes. */
export interface BundledFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

let fonts: BundledFonts | undefined;

/**
 * Reads the bundled fonts (cached).
 * @throws Error when dejavu-fonts-ttf is not installed
 */
export function bundledFonts(): BundledFonts {
  fonts ??= {
    regular: Deno.readFileSync(packageFile("dejavu-fonts-ttf", "ttf/DejaVuSans.ttf")),
    bold: Deno.readFileSync(packageFile("dejavu-fonts-ttf", "ttf/DejaVuSans-Bold.ttf")),
  };
  return fonts;
}
