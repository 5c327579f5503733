/** Options of {@linkcode readTarGz}. */
export interface ReadTarGzOptions {
  /** Which members to keep, by their full path in the archive. Default: all regular files. */
  keep?: (path: string) => boolean;
  /** Called with compressed bytes read so far. Default: none. */
  progress?: (doneBytes: number) => void;
}

const BLOCK = 512;

/**
 * Reads a gzip-compressed tar archive as a stream (never holding the whole archive) and
 * returns the regular-file members that `keep` accepts. Handles ustar, GNU long names ('L')
 * and pax path records ('x'); checks every header's checksum.
 *
 * @param path the .tar.gz file
 * @throws Error when the gzip stream or the tar structure is damaged or truncated.
 */
export async function readTarGz(
  path: string,
  options: ReadTarGzOptions = {},
): Promise<Map<string, Uint8Array>> {
  const keep = options.keep ?? (() => true);
  const members = new Map<string, Uint8Array>();
  const file = await Deno.open(path, { read: true });
  let compressed = 0;
  const counted = file.readable.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        compressed += chunk.length;
        options.progress?.(compressed);
        controller.enqueue(chunk);
      },
    }),
  );
  const parser = new TarParser(path, keep, members);
  // lib.dom types the writable side as BufferSource; it accepts the Uint8Array chunks we give
  const gunzip = new DecompressionStream("gzip") as unknown as TransformStream<
    Uint8Array,
    Uint8Array
  >;
  try {
    for await (const chunk of counted.pipeThrough(gunzip)) {
      parser.push(chunk);
    }
  } catch (error) {
    if (error instanceof TarFormatError) throw error;
    throw new Error(
      `Cannot read ${path} as tar.gz: its gzip stream is damaged or truncated ` +
        `(${(error as Error).message}); delete it and fetch it again`,
    );
  }
  parser.finish();
  return members;
}

/** A damaged tar structure (as opposed to a damaged gzip stream). */
class TarFormatError extends Error {}

/** A push parser over the uncompressed tar byte stream. */
class TarParser {
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #state: "header" | "body" | "end" = "header";
  #member:
    | { path: string; type: string; size: number; kept: Uint8Array | null; filled: number }
    | null = null;
  #nextPath: string | null = null;
  #offset = 0;

  constructor(
    readonly archive: string,
    readonly keep: (path: string) => boolean,
    readonly members: Map<string, Uint8Array>,
  ) {}

  push(chunk: Uint8Array): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    this.#drain();
  }

  finish(): void {
    if (this.#state === "body") {
      throw new TarFormatError(
        `Cannot read ${this.archive} as tar: truncated inside member ${this.#member?.path} ` +
          `(${this.#member?.filled} of ${this.#member?.size} bytes)`,
      );
    }
    if (this.#state !== "end") {
      throw new TarFormatError(
        `Cannot read ${this.archive} as tar: truncated, the end-of-archive marker is missing ` +
          `after ${this.#offset} bytes`,
      );
    }
  }

  #drain(): void {
    while (this.#state !== "end") {
      if (this.#state === "header") {
        if (this.#pendingBytes < BLOCK) return;
        this.#header(this.#take(BLOCK));
      } else {
        const member = this.#member!;
        const padded = Math.ceil(member.size / BLOCK) * BLOCK;
        const want = padded - member.filled;
        if (want === 0) {
          this.#endMember();
          continue;
        }
        if (this.#pendingBytes === 0) return;
        const piece = this.#take(Math.min(want, this.#pendingBytes));
        if (member.kept !== null && member.filled < member.size) {
          const useful = piece.subarray(0, Math.min(piece.length, member.size - member.filled));
          member.kept.set(useful, member.filled);
        }
        member.filled += piece.length;
      }
    }
  }

  #header(block: Uint8Array): void {
    if (block.every((b) => b === 0)) {
      this.#state = "end"; // the first of the two zero blocks is enough to stop
      return;
    }
    const stored = octal(block, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
    if (stored !== sum) {
      throw new TarFormatError(
        `Cannot read ${this.archive} as tar: header at byte ${this.#offset - BLOCK} has checksum ` +
          `${stored}, computed ${sum}; the archive is damaged or not a tar file`,
      );
    }
    const type = String.fromCharCode(block[156] || 48);
    const size = octal(block, 124, 12);
    let path = text(block, 0, 100);
    const prefix = text(block, 345, 155);
    if (text(block, 257, 5) === "ustar" && prefix !== "") path = `${prefix}/${path}`;
    if (this.#nextPath !== null) {
      path = this.#nextPath;
      this.#nextPath = null;
    }
    const isFile = type === "0" || type === "7";
    const meta = type === "L" || type === "x";
    const kept = meta || (isFile && this.keep(path)) ? new Uint8Array(size) : null;
    this.#member = { path, type, size, kept, filled: 0 };
    this.#state = "body";
  }

  #endMember(): void {
    const member = this.#member!;
    if (member.type === "L") {
      this.#nextPath = new TextDecoder().decode(member.kept!).replace(/\0.*$/s, "");
    } else if (member.type === "x") {
      const record = new TextDecoder().decode(member.kept!).match(/\d+ path=([^\n]*)\n/);
      if (record) this.#nextPath = record[1];
    } else if (member.kept !== null) {
      this.members.set(member.path, member.kept);
    }
    this.#member = null;
    this.#state = "header";
  }

  #take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = this.#pending[0];
      const use = Math.min(head.length, n - filled);
      out.set(head.subarray(0, use), filled);
      filled += use;
      if (use === head.length) this.#pending.shift();
      else this.#pending[0] = head.subarray(use);
    }
    this.#pendingBytes -= n;
    this.#offset += n;
    return out;
  }
}

function text(block: Uint8Array, start: number, length: number): string {
  const bytes = block.subarray(start, start + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

function octal(block: Uint8Array, start: number, length: number): number {
  const digits = text(block, start, length).trim();
  return digits === "" ? 0 : parseInt(digits, 8);
}
