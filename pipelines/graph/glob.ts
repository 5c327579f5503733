/**
 * Turns a glob into a RegExp matching the whole string: `*` matches any run of characters
 * (including ':' and '/'), `?` one character; everything else is literal.
 */
export function globToRegExp(glob: string): RegExp {
  const body = [...glob].map((c) =>
    c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")
  ).join("");
  return new RegExp(`^${body}$`);
}
