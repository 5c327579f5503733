import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Document, Node } from "yaml";
import { ConfigError, configError } from "./config_error.ts";
import type { SourceLocation } from "./config_error.ts";

/** One parsed YAML file, kept with its syntax tree so errors can point at lines. */
export interface YamlSource {
  /** The path as given (used in messages). */
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain JS value of the document. */
  value: unknown;
}

/**
 * Reads and parses a YAML file. Duplicate keys are errors.
 * @throws {ConfigError} when the file cannot be read or is not valid YAML (with file:line:col).
 */
export function readYamlSource(file: string): YamlSource {
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound ? "it does not exist" : String(error);
    throw new ConfigError(`Cannot read ${file} as ${reason}`);
  }
  return parseYamlSource(file, text);
}

/** Parses YAML text that came from `file`. @throws {ConfigError} on syntax errors. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    // `<<: *anchor` merge keys let configs share blocks inside one file.
    merge: true,
  });
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const reason = first.code === "DUPLICATE_KEY"
      ? "a key is repeated: each key may appear once in a block"
      : `it is not valid YAML: ${
        first.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")
      }`;
    throw configError({ file, line, col }, reason);
  }
  return { file, doc, lineCounter, value: doc.toJS() };
}

/**
 * Finds where the node at `path` was written. With `key: true` points at the map key instead of
 * its value (for unknown keys). Returns undefined when the path is not in this document.
 */
export function locateInYaml(
  source: YamlSource,
  path: readonly (string | number)[],
  options: { key?: boolean } = {},
): SourceLocation | undefined {
  let node: unknown = source.doc.contents;
  let keyNode: unknown = undefined;
  for (const segment of path) {
    keyNode = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) =>
        isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment)
      );
      if (!pair) return undefined;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      if (node === undefined) return undefined;
    } else {
      return undefined;
    }
  }
  const target = (options.key && keyNode ? keyNode : node ?? keyNode) as Node | undefined;
  const offset = target?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, col };
}
