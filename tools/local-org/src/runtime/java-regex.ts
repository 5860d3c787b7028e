// Java regular expressions (Apex's Pattern, String.matches, the formula REGEX function) as
// JavaScript ones, for the syntax the two share.

/** The JavaScript regular expression for a Java one, or null when it uses Java-only syntax
 * (lookbehind, `\p{...}`, inline flags, `\A`/`\Z`, possessive quantifiers, ...) or is broken. */
export function fromJavaRegex(pattern: string, flags = ""): RegExp | null {
  // \Q...\E quotes literal text (Pattern.quote writes it); JavaScript has no such syntax.
  const source = pattern.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_m, lit: string) =>
    lit.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
  );
  if (/\(\?<[=!]|\\p\{|\(\?[a-z]+\)|\\A|\\Z|\\z|possessive/.test(source)) return null;
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}
