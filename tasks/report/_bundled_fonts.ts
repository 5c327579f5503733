/**
 * The fonts every chart uses: DejaVu Sans from the dejavu-fonts-ttf npm package, read once per
 * process, and for the characters it lacks (Chinese, Japanese, Korean run and class names)
 * Droid Sans Fallback from Debian's fonts-droid-fallback, which scripts/setup.sh installs.
 * @module
 */
import { packageFile } from "./_package_file.ts";

/** Regular and bold DejaVu Sans, as TTF bytes. */
export interface BundledFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

/** Where Debian's fonts-droid-fallback puts its font. */
export const CJK_FONT_PATH = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

/** The family name inside that font file. */
export const CJK_FONT_FAMILY = "Droid Sans Fallback";

let fonts: BundledFonts | undefined;
let cjk: Uint8Array | null | undefined;

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

/** The CJK fallback font's bytes (cached), or null when fonts-droid-fallback is not installed. */
export function cjkFont(): Uint8Array | null {
  if (cjk === undefined) {
    try {
      cjk = Deno.readFileSync(CJK_FONT_PATH);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      cjk = null;
    }
  }
  return cjk;
}

/** The message of a chart that needs the CJK font when it is not installed. */
export function missingCjkFontMessage(what: string): string {
  return `Cannot render ${what} as it needs a CJK font and ${CJK_FONT_PATH} does not exist: ` +
    "run scripts/setup.sh (it installs Debian's fonts-droid-fallback), or " +
    "apt-get install fonts-droid-fallback";
}
