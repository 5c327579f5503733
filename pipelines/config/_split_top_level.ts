/**
 * Splits `a,b,[c,d],'e,f'` at the commas that are not inside brackets, braces or quotes: the
 * values of a command-line sweep (`train.lr=0.1,0.01`), each still YAML text.
 * @returns the parts, or undefined when a bracket or quote is left open.
 */
export function splitTopLevel(text: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote !== undefined || depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts;
}
