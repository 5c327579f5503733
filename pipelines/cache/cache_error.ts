/**
 * The cache folder cannot be used (not a folder, not writable, full, not a cnnlab cache): the CLI
 * prints `message` (no stack) and exits with code 1.
 */
export class CacheError extends Error {
  override name = "CacheError";
}

/** The cause of a file system error, without Deno's call details: `No space left on device`. */
export function errorCause(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // "No space left on device (os error 28): write '/x'" → "No space left on device (os error 28)"
  return text.replace(/(\(os error \d+\)).*$/s, "$1").trim();
}
