/**
 * A bad config or bad command-line arguments: the CLI prints `message` and exits with code 2.
 * Messages follow DESIGN.md habit 4: what could not be done, why, and the current value.
 */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/** A place in a config file, 1-based like editors show it. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

/** Formats `file:line:col` (or just `file` when the line is unknown). */
export function formatLocation(location: SourceLocation): string {
  return location.line > 0 ? `${location.file}:${location.line}:${location.col}` : location.file;
}

/** Builds the standard message: `Cannot read <file:line:col> as <reason>`. */
export function configError(location: SourceLocation, reason: string): ConfigError {
  return new ConfigError(`Cannot read ${formatLocation(location)} as ${reason}`);
}

/** A value as it appears in messages: JSON, shortened when long. */
export function formatValue(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
