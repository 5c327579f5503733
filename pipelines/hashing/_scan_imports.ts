/**
 * Finds what a module loads: static `import`/`export … from`, literal `import("x")`, and files
 * it names through `new URL("x", import.meta.url)`; and every `import()` whose specifier is
 * computed, which the code hash cannot follow.
 * @module
 */
import { type JsToken, tokenize } from "./_js_tokens.ts";

/** What one module refers to. */
export interface ScannedModule {
  /** Specifiers of code it imports (type-only imports excluded: they cannot change results). */
  imports: { specifier: string; line: number }[];
  /** Files it names with `new URL("literal", import.meta.url)` (workers, wasm, data). */
  references: { specifier: string; line: number }[];
  /** `import()` calls whose specifier is not a literal, with the source line they are on. */
  computed: { line: number; vouched?: string }[];
}

/**
 * A computed `import()` may be vouched for by a comment on its line or the line before,
 * `// cnnlab-tracked-import: <how its code is keyed>`, e.g. a bare package whose version the
 * runtime facts record. The scanner reports the reason; the caller decides whether to trust it.
 */
const VOUCH = /^\s*cnnlab-tracked-import:\s*(\S.*)$/;

/** Scans module source text. Never throws. */
export function scanImports(text: string): ScannedModule {
  const all = tokenize(text);
  const tokens = all.filter((t) => t.type !== "comment");
  const result: ScannedModule = { imports: [], references: [], computed: [] };
  const at = (i: number): JsToken | undefined => tokens[i];
  const is = (i: number, type: JsToken["type"], value?: string) =>
    at(i)?.type === type && (value === undefined || at(i)!.value === value);
  const literal = (i: number): string | undefined => {
    const t = at(i);
    if (t?.type === "string") return t.value;
    if (t?.type === "template" && !t.interpolated) return t.value;
    return undefined;
  };
  const vouchBefore = (token: JsToken): string | undefined => {
    for (let k = all.indexOf(token) - 1; k >= 0 && all[k].line >= token.line - 1; k--) {
      const reason = all[k].type === "comment" ? all[k].value.match(VOUCH)?.[1] : undefined;
      if (reason !== undefined) return reason;
    }
    return undefined;
  };
  // A statement-level `import`/`export` is preceded by nothing, `;`, `}` or `{`-less context.
  const statementStart = (i: number) => {
    const p = at(i - 1);
    return p === undefined || (p.type === "punct" && [";", "}", "{"].includes(p.value)) ||
      p.type === "string" || p.type === "template" || p.line < at(i)!.line;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== "word") continue;
    const previous = at(i - 1);
    if (previous?.type === "punct" && (previous.value === "." || previous.value === "?.")) continue;
    if (t.value === "import" && is(i + 1, "punct", "(")) {
      const specifier = literal(i + 2);
      if (specifier !== undefined && (is(i + 3, "punct", ")") || is(i + 3, "punct", ","))) {
        result.imports.push({ specifier, line: t.line });
      } else {
        const vouched = vouchBefore(t);
        result.computed.push(vouched === undefined ? { line: t.line } : { line: t.line, vouched });
      }
      continue;
    }
    if ((t.value === "import" || t.value === "export") && statementStart(i)) {
      if (is(i + 1, "punct", ".")) continue; // import.meta
      const typeOnly = is(i + 1, "word", "type") &&
        !(is(i + 2, "word", "from") && literal(i + 3) !== undefined);
      // `import "x"` / `import x from "x"` / `export { a } from "x"` / `export * from "x"`.
      const direct = literal(i + 1);
      if (t.value === "import" && direct !== undefined) {
        result.imports.push({ specifier: direct, line: t.line });
        continue;
      }
      for (let j = i + 1; j < tokens.length && j < i + 400; j++) {
        const u = tokens[j];
        if (u.type === "punct" && u.value === ";") break;
        if (u.type === "word" && u.value === "from" && literal(j + 1) !== undefined) {
          if (!typeOnly) result.imports.push({ specifier: literal(j + 1)!, line: t.line });
          break;
        }
        // An export declaration (`export function f() {…}`) has no `from`: stop at its body.
        if (u.type === "punct" && (u.value === "(" || u.value === "=")) break;
        if (u.type === "word" && j > i + 1 && (u.value === "import" || u.value === "export")) break;
      }
      continue;
    }
    if (t.value === "new" && is(i + 1, "word", "URL") && is(i + 2, "punct", "(")) {
      const specifier = literal(i + 3);
      const meta = is(i + 4, "punct", ",") && is(i + 5, "word", "import") &&
        is(i + 6, "punct", ".") && is(i + 7, "word", "meta") && is(i + 8, "punct", ".") &&
        is(i + 9, "word", "url");
      if (specifier !== undefined && meta) result.references.push({ specifier, line: t.line });
    }
  }
  return result;
}
