/**
 * The identity of the system CJK font charts are drawn with: part of the report stage's runtime
 * facts, since the code hash cannot see a system file and a new font changes the PNGs.
 * @module
 */
import { digestMemo } from "../datasets/file_digest_memo.ts";
import { CJK_FONT_PATH } from "./_bundled_fonts.ts";

/** SHA-256 of the CJK font (remembered by stat in the cache's digest memo), or "missing". */
export async function cjkFontDigest(cacheDir: string): Promise<string> {
  try {
    await Deno.stat(CJK_FONT_PATH);
  } catch {
    return "missing";
  }
  const memo = await digestMemo(cacheDir);
  const digest = await memo.sha256(CJK_FONT_PATH);
  await memo.save();
  return digest;
}
