/**
 * Names that become file and folder names or parts of them (config names → `reports/<name>/`,
 * experiment and sweep names → run names and stage ids): one rule for all, so that a name can
 * never address the file system (`.`, `..`, separators), carry control characters, or exceed
 * what every file system stores in one path component.
 * @module
 */

/** Longest name the user writes (config, experiment, sweep block), in UTF-8 bytes. eCryptfs, the
 * tightest common file system, stores 143 bytes per component; this leaves room for suffixes. */
export const MAX_NAME_BYTES = 100;

/** Longest derived run name (experiment + sweep values + seed), in UTF-8 bytes (ext4: 255). */
export const MAX_RUN_NAME_BYTES = 200;

const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** `\u0000` for a control character, for messages. */
function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/** Options of {@linkcode nameProblem}. */
export interface NameRules {
  /** Default: {@linkcode MAX_NAME_BYTES}. */
  maxBytes?: number;
  /** A derived run name (`lenet-lr=0.1-seed=1`): '=' is its own separator, so allowed. */
  runName?: boolean;
}

/**
 * Why `name` cannot be used as a name, or undefined when it can.
 * @returns e.g. `'..' is the parent folder's name`, `it contains the control character \u0000`.
 */
export function nameProblem(name: string, rules: NameRules = {}): string | undefined {
  const maxBytes = rules.maxBytes ?? MAX_NAME_BYTES;
  if (name.length === 0) return "it is empty";
  if (name === ".") return "'.' is the current folder's name";
  if (name === "..") return "'..' is the parent folder's name";
  // deno-lint-ignore no-control-regex
  const control = name.match(/[\u0000-\u001f\u007f-\u009f]/)?.[0];
  if (control !== undefined) return `it contains the control character ${escapeChar(control)}`;
  if (rules.runName ? /[\s/\\]/.test(name) : /[\s/\\=*?]/.test(name)) {
    return rules.runName
      ? "run names may not contain spaces, '/' or '\\'"
      : "names may not contain spaces, '/', '\\', '=', '*' or '?'";
  }
  if (name.startsWith(".")) return "it starts with '.' (a hidden file's name)";
  // Run names are never file names on their own; config, experiment and sweep names may be.
  if (!rules.runName && name.endsWith(".")) return "it ends with '.', which some file systems drop";
  if (!rules.runName && WINDOWS_DEVICES.test(name)) return `'${name}' is a device name on Windows`;
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > maxBytes) {
    return `it is ${bytes} bytes long: at most ${maxBytes} fit every file system`;
  }
  return undefined;
}
