import { createHash, type Hash } from "node:crypto";
import type { KnownFile } from "./dataset_catalog.ts";

/** Size and sums of some bytes. */
export interface Checksums {
  bytes: number;
  sha256: string;
  md5: string;
}

/** Incremental SHA-256 + MD5, fed chunk by chunk while a file streams in. */
export class ChecksumStream {
  #sha256: Hash = createHash("sha256");
  #md5: Hash = createHash("md5");
  #bytes = 0;

  /** Adds a chunk. */
  update(chunk: Uint8Array): void {
    this.#sha256.update(chunk);
    this.#md5.update(chunk);
    this.#bytes += chunk.length;
  }

  /** Returns the sums of everything added so far; call once. */
  digest(): Checksums {
    return { bytes: this.#bytes, sha256: this.#sha256.digest("hex"), md5: this.#md5.digest("hex") };
  }
}

/** Streams a file through SHA-256 and MD5 without holding it in memory. */
export async function fileChecksums(path: string): Promise<Checksums> {
  const sums = new ChecksumStream();
  const file = await Deno.open(path, { read: true }); // the stream closes it when read to the end
  for await (const chunk of file.readable) sums.update(chunk);
  return sums.digest();
}

/** How a file's sums compare with the published ones. */
export type ChecksumVerdict =
  | { ok: true; by: "published-sha256" | "published-md5" | "known-sha256"; note?: string }
  | { ok: false; reason: "no-published-sum" }
  | { ok: false; reason: "mismatch"; message: string };

/**
 * Compares sums with a published file's: SHA-256 first, else the published MD5 (CIFAR-10 and
 * Tiny ImageNet publish only MD5), else a known alternate packaging (Debian's).
 */
export function compareChecksums(known: KnownFile, sums: Checksums): ChecksumVerdict {
  for (const alt of known.alternates ?? []) {
    if (alt.sha256 === sums.sha256 && alt.bytes === sums.bytes) {
      return { ok: true, by: "known-sha256", note: alt.note };
    }
  }
  if (known.sha256 === undefined && known.md5 === undefined) {
    return { ok: false, reason: "no-published-sum" };
  }
  const expected = known.sha256 !== undefined ? `SHA-256 ${known.sha256}` : `MD5 ${known.md5}`;
  const actual = known.sha256 !== undefined ? `SHA-256 ${sums.sha256}` : `MD5 ${sums.md5}`;
  const sumOk = known.sha256 !== undefined ? known.sha256 === sums.sha256 : known.md5 === sums.md5;
  if (sumOk && sums.bytes === known.bytes) {
    return { ok: true, by: known.sha256 !== undefined ? "published-sha256" : "published-md5" };
  }
  return {
    ok: false,
    reason: "mismatch",
    message: `${known.name} does not match its published checksum: expected ${known.bytes} bytes ` +
      `with ${expected}, got ${sums.bytes} bytes with ${actual}`,
  };
}
