import { dirname } from "node:path";
import type { KnownFile } from "./dataset_catalog.ts";
import { type Checksums, ChecksumStream, compareChecksums } from "./file_checksums.ts";

/** A progress report, shaped like `StageContext.progress` takes it. */
export interface ProgressReport {
  done: number;
  total: number;
  unit: string;
  note?: string;
}

/** Options of {@linkcode downloadFile}. */
export interface DownloadFileOptions {
  /** URLs of the same file, tried in order until one gives verified bytes. */
  urls: string[];
  /** Final path; written only after the bytes are verified. */
  dest: string;
  /** The published file: its size and checksum decide whether the bytes are used. */
  known: KnownFile;
  /** Called as bytes arrive (at most every 200 ms, and at the end). Default: none. */
  progress?: (p: ProgressReport) => void;
  /** One line per attempt. Default: none. */
  log?: (line: string) => void;
  /** Aborts the transfer; the partial file is removed. */
  signal?: AbortSignal;
}

/**
 * Downloads a published file, streaming it to a temporary name beside `dest` while hashing it,
 * and renames it to `dest` only when its size and checksum match `known`. A mirror that fails
 * (HTTP error, dropped connection, wrong checksum) is skipped for the next one.
 *
 * @returns the verified file's checksums
 * @throws Error listing every URL tried and why it failed.
 */
export async function downloadFile(options: DownloadFileOptions): Promise<Checksums> {
  const { urls, dest, known } = options;
  await Deno.mkdir(dirname(dest), { recursive: true });
  const failures: string[] = [];
  for (const url of urls) {
    options.signal?.throwIfAborted();
    const temp = `${dest}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    try {
      options.log?.(`downloading ${url}`);
      const sums = await fetchTo(url, temp, options);
      const verdict = compareChecksums(known, sums);
      if (!verdict.ok) {
        throw new Error(
          verdict.reason === "mismatch"
            ? `checksum mismatch: ${verdict.message}`
            : "no published checksum",
        );
      }
      await Deno.rename(temp, dest);
      options.log?.(`verified ${known.name} (${verdict.by}) → ${dest}`);
      return sums;
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      if (options.signal?.aborted) throw error;
      const reason = describe(error);
      failures.push(`${url}: ${reason}`);
      options.log?.(`failed ${url}: ${reason}`);
    }
  }
  throw new Error(
    `Cannot download ${known.name}: every source failed, nothing was kept:\n` +
      failures.map((f) => `  - ${f}`).join("\n"),
  );
}

async function fetchTo(
  url: string,
  temp: string,
  options: DownloadFileOptions,
): Promise<Checksums> {
  const response = await fetch(url, { signal: options.signal });
  if (!response.ok || response.body === null) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  }
  const header = response.headers.get("content-length");
  const expected = header === null ? options.known.bytes : Number(header);
  const sums = new ChecksumStream();
  let done = 0;
  let lastReport = 0;
  const file = await Deno.open(temp, { write: true, create: true, truncate: true });
  // The writer owns the file from here: closing it closes the file.
  const writer = file.writable.getWriter();
  try {
    for await (const chunk of response.body) {
      sums.update(chunk);
      await writer.write(chunk);
      done += chunk.length;
      const now = Date.now();
      if (now - lastReport >= 200) {
        lastReport = now;
        options.progress?.({ done, total: expected, unit: "B", note: options.known.name });
      }
    }
  } catch (error) {
    throw new Error(
      `connection dropped after ${done} of ${expected} bytes (${(error as Error).message})`,
    );
  } finally {
    await writer.close().catch(() => {});
  }
  options.progress?.({ done, total: expected, unit: "B", note: options.known.name });
  if (header !== null && done !== expected) {
    throw new Error(`connection dropped after ${done} of ${expected} bytes`);
  }
  return sums.digest();
}

// fetch() reports network failures as a bare "fetch failed" with the reason in `cause`.
function describe(error: unknown): string {
  const { message, cause } = error as Error;
  return cause instanceof Error ? `${message}: ${cause.message}` : message;
}
