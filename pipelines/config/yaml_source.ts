import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import type { Document, Node } from "yaml";
import { configError } from "./config_error.ts";
import type { SourceLocation } from "./config_error.ts";
import { readConfigText } from "./read_config_text.ts";

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
 * Reads and parses a YAML file (a regular UTF-8 file of bounded size, see `read_config_text.ts`).
 * Duplicate keys are errors.
 * @throws {ConfigError} when the file cannot be read or is not valid YAML (with file:line:col).
 */
export function readYamlSource(file: string): YamlSource {
  return parseYamlSource(file, readConfigText(file));
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
  let value: unknown;
  try {
    // Bounded: an alias that expands to more than 100 nodes per alias is refused (alias bombs).
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw explainToJsError(file, doc, lineCounter, error);
  }
  return { file, doc, lineCounter, value };
}

/**
 * Maps what the YAML library throws while building values (alias bombs, merges of non-maps,
 * aliases without an anchor) to a message at the node responsible.
 */
function explainToJsError(
  file: string,
  doc: Document.Parsed,
  lineCounter: LineCounter,
  error: unknown,
) {
  const message = error instanceof Error ? error.message : String(error);
  const at = (node: Node | null | undefined) => {
    const offset = node?.range?.[0];
    return offset === undefined
      ? { file, line: 1, col: 1 }
      : { file, ...lineCounter.linePos(offset) };
  };
  let culprit: Node | undefined;
  let reason = `it is not valid YAML: ${message}`;
  if (/alias count/i.test(message)) {
    visit(doc, { Alias: (_, node) => void (culprit ??= node) });
    reason = "its aliases expand to too many values (an alias bomb): repeat fewer aliases";
  } else if (/Merge sources/.test(message)) {
    visit(doc, {
      Pair(_, pair) {
        // With `merge: true` the key's value is a symbol; its source text is "<<".
        if (!isScalar(pair.key) || pair.key.source !== "<<") return;
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        const bad = sources.find((s) => !isMap(isAlias(s) ? s.resolve(doc) : s));
        if (bad && !culprit) culprit = bad as Node;
      },
    });
    reason = "'<<' merges a value that is not a map: merge a map, e.g. '<<: *defaults'";
  } else if (/Unresolved alias/.test(message)) {
    visit(doc, {
      Alias(_, node) {
        if (!culprit && node.resolve(doc) === undefined) culprit = node;
      },
    });
    const name = culprit && isAlias(culprit) ? culprit.source : "?";
    reason = `the alias '*${name}' has no anchor '&${name}' before it`;
  }
  return configError(at(culprit), reason);
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
