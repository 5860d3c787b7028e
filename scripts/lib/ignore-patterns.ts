/**
 * gitignore-style patterns, as `.forceignore` uses them: the last matching
 * pattern wins, `!` re-includes, a pattern without a slash matches at any
 * depth, a trailing slash matches directories only, and nothing below an
 * ignored directory can be re-included.
 */
interface Rule {
  regex: RegExp;
  negated: boolean;
  directoryOnly: boolean;
}

export class IgnorePatterns {
  private readonly rules: Rule[];

  constructor(lines: readonly string[]) {
    this.rules = lines
      .map((l) => l.replace(/\s+$/, ""))
      .flatMap((l) => (l === "" || l.startsWith("#") ? [] : [toRule(l)]));
  }

  static parse(content: string): IgnorePatterns {
    return new IgnorePatterns(content.split(/\r?\n/));
  }

  /** `relativePath` uses forward slashes and is relative to the directory holding the patterns. */
  ignores(relativePath: string): boolean {
    const parts = relativePath.split("/");
    for (let i = 1; i < parts.length; i++) {
      if (this.verdict(parts.slice(0, i).join("/"), true)) return true;
    }
    return this.verdict(relativePath, false);
  }

  private verdict(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      if (rule.regex.test(path)) ignored = !rule.negated;
    }
    return ignored;
  }
}

function toRule(line: string): Rule {
  let pattern = line;
  const negated = pattern.startsWith("!");
  if (negated) pattern = pattern.slice(1);
  if (pattern.startsWith("\\")) pattern = pattern.slice(1);
  const directoryOnly = pattern.endsWith("/");
  if (directoryOnly) pattern = pattern.slice(0, -1);
  const anchored = pattern.includes("/");
  if (pattern.startsWith("/")) pattern = pattern.slice(1);

  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (pattern.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (pattern.startsWith("/**", i) && i + 3 === pattern.length) {
      source += "/.*";
      i += 2;
    } else if (pattern.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 1);
      if (close === -1) source += "\\[";
      else {
        source +=
          "[" +
          pattern
            .slice(i + 1, close)
            .replace(/^!/, "^")
            .replace(/\\/g, "\\\\") +
          "]";
        i = close;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return {
    regex: new RegExp(`^${anchored ? "" : "(?:.*/)?"}${source}$`),
    negated,
    directoryOnly
  };
}
