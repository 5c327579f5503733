/**
 * A small JavaScript/TypeScript tokenizer: just enough to find import specifiers without being
 * fooled by comments, strings, template literals or regular expressions that merely mention
 * `import(`. It never throws: odd input yields odd tokens, and the scanner above fails closed.
 * @module
 */

/** One token. Strings carry their decoded value; templates say whether they interpolate. */
export type JsToken =
  | { type: "word"; value: string; line: number }
  | { type: "punct"; value: string; line: number }
  | { type: "string"; value: string; line: number }
  | { type: "template"; value: string; interpolated: boolean; line: number }
  | { type: "comment"; value: string; line: number }
  | { type: "other"; value: string; line: number };

const WORD = /[\p{L}\p{Nl}$_\u200c\u200d0-9\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u;
// After these a `/` starts a regular expression, not a division.
const REGEX_AFTER_PUNCT = new Set("( , = : [ ! & | ? { } ; + - * % < > ~ ^ => return typeof"
  .split(" "));
const REGEX_AFTER_WORD = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);
const PUNCTS = ["=>", "...", "?.", "??", "&&", "||"];

/** Splits source text into tokens (comments kept, whitespace dropped). */
export function tokenize(text: string): JsToken[] {
  const tokens: JsToken[] = [];
  let i = 0;
  let line = 1;
  // Brace depth at which each open template's `${` started, to resume the template at its `}`.
  const templateStack: number[] = [];
  let depth = 0;
  const last = () => {
    for (let k = tokens.length - 1; k >= 0; k--) {
      if (tokens[k].type !== "comment") return tokens[k];
    }
    return undefined;
  };
  const regexAllowed = () => {
    const t = last();
    if (t === undefined) return true;
    if (t.type === "punct") return REGEX_AFTER_PUNCT.has(t.value) || t.value.length > 1;
    if (t.type === "word") return REGEX_AFTER_WORD.has(t.value);
    return false;
  };
  const readTemplate = (start: number): number => {
    // Reads template text from `start` up to the closing backtick or a `${`.
    let j = start;
    let value = "";
    while (j < text.length) {
      const c = text[j];
      if (c === "\\") {
        value += text.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (c === "`") {
        tokens.push({ type: "template", value, interpolated: false, line });
        return j + 1;
      }
      if (c === "$" && text[j + 1] === "{") {
        tokens.push({ type: "template", value, interpolated: true, line });
        templateStack.push(depth);
        depth++;
        return j + 2;
      }
      if (c === "\n") line++;
      value += c;
      j++;
    }
    tokens.push({ type: "template", value, interpolated: false, line });
    return j;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v" || c === "\ufeff") {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      tokens.push({ type: "comment", value: text.slice(i + 2, stop), line });
      i = stop;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      const body = text.slice(i + 2, end === -1 ? text.length : end);
      tokens.push({ type: "comment", value: body, line });
      line += body.split("\n").length - 1;
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let value = "";
      while (j < text.length && text[j] !== c && text[j] !== "\n") {
        if (text[j] === "\\") {
          value += text[j + 1] ?? "";
          j += 2;
        } else {
          value += text[j++];
        }
      }
      tokens.push({ type: "string", value, line });
      i = j + 1;
      continue;
    }
    if (c === "`") {
      i = readTemplate(i + 1);
      continue;
    }
    if (
      c === "}" && templateStack.length > 0 && templateStack[templateStack.length - 1] === depth - 1
    ) {
      templateStack.pop();
      depth--;
      i = readTemplate(i + 1);
      continue;
    }
    if (c === "/" && regexAllowed()) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== "\n") {
        if (text[j] === "\\") j += 2;
        else if (text[j] === "[") inClass = true, j++;
        else if (text[j] === "]") inClass = false, j++;
        else if (text[j] === "/" && !inClass) break;
        else j++;
      }
      j++;
      while (j < text.length && /[a-z]/i.test(text[j])) j++;
      tokens.push({ type: "other", value: text.slice(i, j), line });
      i = j;
      continue;
    }
    if (WORD.test(c)) {
      let j = i + 1;
      while (j < text.length && WORD.test(text[j])) j++;
      tokens.push({ type: "word", value: text.slice(i, j), line });
      i = j;
      continue;
    }
    const multi = PUNCTS.find((p) => text.startsWith(p, i));
    const value = multi ?? c;
    if (value === "{") depth++;
    if (value === "}") depth = Math.max(0, depth - 1);
    tokens.push({ type: "punct", value, line });
    i += value.length;
  }
  return tokens;
}
