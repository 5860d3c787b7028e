// String: instance methods and statics.
import type { Loc } from "../parse/ast.js";
import type { RuntimeContext } from "../runtime/context.js";
import { prim } from "../runtime/types.js";
import { ApexDate, ApexList, ApexSet, ApexDecimal, NativeObject, type Value } from "../runtime/values.js";
import { str, setItems } from "../runtime/operators.js";
import type { Stdlib } from "./registry.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { runtimeTypeName } from "../runtime/conversion.js";

/** Converts a Java regular expression to a JavaScript one for the common subset. */
export function javaRegex(rt: RuntimeContext, pattern: string, flags = ""): RegExp {
  // \Q...\E quotes literal text (Pattern.quote writes it); JavaScript has no such syntax.
  const source = pattern.replace(/\\Q([\s\S]*?)(?:\\E|$)/g, (_m, lit: string) =>
    lit.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")
  );
  if (/\(\?<[=!]|\\p\{|\(\?[a-z]+\)|\\A|\\Z|\\z|possessive/.test(source)) {
    unsupported(rt, `regular expression '${pattern}'`);
  }
  try {
    return new RegExp(source, flags);
  } catch {
    // Java-only syntax (possessive quantifiers, class intersections, ...) or a broken pattern.
    return unsupported(rt, `regular expression '${pattern}'`);
  }
}

/**
 * Replaces like Java's Matcher: `\x` is a literal x, `$n` and `${name}` refer to groups, and a
 * `$` that names no group is an error there, so it stops here rather than come out literally.
 */
function javaReplace(rt: RuntimeContext, x: string, re: RegExp, replacement: string, loc: Loc): string {
  return x.replace(re, (...m: unknown[]) => {
    const hasNamed = typeof m[m.length - 1] === "object" && m[m.length - 1] !== null;
    const groups = m.slice(0, m.length - (hasNamed ? 3 : 2)) as (string | undefined)[];
    const named = (hasNamed ? m[m.length - 1] : {}) as Record<string, string | undefined>;
    let out = "";
    for (let i = 0; i < replacement.length; i++) {
      const c = replacement[i];
      if (c === "\\") {
        i++;
        if (i >= replacement.length) unsupported(rt, `replacement string '${replacement}' ending in a backslash`, loc);
        out += replacement[i];
      } else if (c === "$") {
        const rest = replacement.slice(i + 1);
        const name = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(rest);
        if (name && name[1] in named) {
          out += named[name[1]] ?? "";
          i += name[0].length;
          continue;
        }
        const digits = /^[0-9]+/.exec(rest);
        if (!digits || Number(digits[0][0]) >= groups.length)
          unsupported(rt, `replacement string '${replacement}' with an invalid group reference`, loc);
        // Java reads further digits only while they still name an existing group.
        let n = Number(digits[0][0]);
        let used = 1;
        while (used < digits[0].length && n * 10 + Number(digits[0][used]) < groups.length) {
          n = n * 10 + Number(digits[0][used]);
          used++;
        }
        out += groups[n] ?? "";
        i += used;
      } else out += c;
    }
    return out;
  });
}

/** Apache Commons' abbreviate(str, offset, maxWidth), which Apex's abbreviate follows. */
function abbreviate(rt: RuntimeContext, x: string, offset: number, w: number): string {
  if (w < 4) throwApex(rt, "IllegalArgumentException", "Minimum abbreviation width is 4");
  if (x.length <= w) return x;
  let from = Math.min(offset, x.length);
  if (x.length - from < w - 3) from = x.length - (w - 3);
  if (from <= 4) return x.slice(0, w - 3) + "...";
  if (w < 7) throwApex(rt, "IllegalArgumentException", "Minimum abbreviation width with offset is 7");
  if (from + w - 3 < x.length) return "..." + abbreviate(rt, x.slice(from), 0, w - 3);
  return "..." + x.slice(x.length - (w - 3));
}

/** Java's lastIndexOf(str, from): a negative start finds nothing (JavaScript clamps it to 0). */
function lastIndexFrom(x: string, sub: string, from: number | undefined): number {
  if (from === undefined) return x.lastIndexOf(sub);
  return from < 0 ? -1 : x.lastIndexOf(sub, from);
}

export function installStrings(lib: Stdlib) {
  const rt = lib.runtime;
  const s = (v: Value, loc: Loc): string => {
    if (v === null) nullPointer(rt);
    if (typeof v !== "string") unsupported(rt, `String argument of type ${runtimeTypeName(v)}`, loc);
    return v;
  };
  const int = (v: Value): number => {
    if (v === null) nullPointer(rt);
    return Number(v);
  };
  const strList = (items: string[]) => new ApexList(prim("String"), items);

  lib.instance<string>("string", {
    length: (x) => x.length,
    substring: (x, a) => {
      const b = int(a[0]);
      const e = a.length > 1 ? int(a[1]) : x.length;
      if (b < 0 || b > x.length) throwApex(rt, "StringException", `Starting position out of bounds: ${b}`);
      if (e > x.length || e < b) throwApex(rt, "StringException", `Ending position out of bounds: ${e}`);
      return x.substring(b, e);
    },
    indexOf: (x, a, l) => x.indexOf(s(a[0], l), a.length > 1 ? int(a[1]) : 0),
    indexOfIgnoreCase: (x, a, l) => x.toLowerCase().indexOf(s(a[0], l).toLowerCase(), a.length > 1 ? int(a[1]) : 0),
    lastIndexOf: (x, a, l) => lastIndexFrom(x, s(a[0], l), a.length > 1 ? int(a[1]) : undefined),
    contains: (x, a, l) => x.includes(s(a[0], l)),
    containsIgnoreCase: (x, a, l) => x.toLowerCase().includes(s(a[0], l).toLowerCase()),
    containsNone: (x, a, l) => ![...s(a[0], l)].some((c) => x.includes(c)),
    containsOnly: (x, a, l) => [...x].every((c) => s(a[0], l).includes(c)),
    containsWhitespace: (x) => /\s/.test(x),
    startsWith: (x, a, l) => x.startsWith(s(a[0], l)),
    startsWithIgnoreCase: (x, a, l) => x.toLowerCase().startsWith(s(a[0], l).toLowerCase()),
    endsWith: (x, a, l) => x.endsWith(s(a[0], l)),
    endsWithIgnoreCase: (x, a, l) => x.toLowerCase().endsWith(s(a[0], l).toLowerCase()),
    equals: (x, a) => typeof a[0] === "string" && x === a[0],
    equalsIgnoreCase: (x, a) => typeof a[0] === "string" && x.toLowerCase() === a[0].toLowerCase(),
    compareTo: (x, a, l) => {
      const y = s(a[0], l);
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) if (x.charCodeAt(i) !== y.charCodeAt(i)) return x.charCodeAt(i) - y.charCodeAt(i);
      return x.length - y.length;
    },
    hashCode: (x) => {
      let h = 0;
      for (let i = 0; i < x.length; i++) h = (Math.imul(31, h) + x.charCodeAt(i)) | 0;
      return h;
    },
    toUpperCase: (x) => x.toUpperCase(),
    toLowerCase: (x) => x.toLowerCase(),
    trim: (x) => x.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, ""),
    strip: (x) => x.trim(),
    normalizeSpace: (x) => x.trim().replace(/\s+/g, " "),
    deleteWhitespace: (x) => x.replace(/\s+/g, ""),
    isBlank: (x) => x.trim() === "",
    isNotBlank: (x) => x.trim() !== "",
    isEmpty: (x) => x === "",
    isNotEmpty: (x) => x !== "",
    split: (x, a, l) => {
      const limit = a.length > 1 ? int(a[1]) : 0;
      if (x === "") return strList([""]);
      let parts = x.split(javaRegex(rt, s(a[0], l)));
      // Java drops a leading empty string produced by a zero-width match at the start.
      if (parts.length > 1 && parts[0] === "" && x.length > 0 && javaRegex(rt, s(a[0], l)).exec(x)?.[0] === "")
        parts.shift();
      if (limit > 0 && parts.length > limit) {
        const head = parts.slice(0, limit - 1);
        let consumed = 0;
        const re = javaRegex(rt, s(a[0], l), "g");
        for (let i = 0; i < limit - 1; i++) {
          const m = re.exec(x);
          if (!m) break;
          consumed = m.index + m[0].length;
        }
        parts = [...head, x.slice(consumed)];
      }
      if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
      return strList(parts);
    },
    replace: (x, a, l) => x.split(s(a[0], l)).join(s(a[1], l)),
    replaceAll: (x, a, l) => javaReplace(rt, x, javaRegex(rt, s(a[0], l), "g"), s(a[1], l), l),
    replaceFirst: (x, a, l) => javaReplace(rt, x, javaRegex(rt, s(a[0], l)), s(a[1], l), l),
    matches: (x, a, l) => javaRegex(rt, `^(?:${s(a[0], l)})$`).test(x),
    left: (x, a) => x.slice(0, Math.max(0, int(a[0]))),
    right: (x, a) => (int(a[0]) <= 0 ? "" : x.slice(-int(a[0]))),
    mid: (x, a) => x.substr(Math.max(0, int(a[0])), Math.max(0, int(a[1]))),
    abbreviate: (x, a) => abbreviate(rt, x, a.length > 1 ? int(a[1]) : 0, int(a[0])),
    capitalize: (x) => (x ? x[0].toUpperCase() + x.slice(1) : x),
    uncapitalize: (x) => (x ? x[0].toLowerCase() + x.slice(1) : x),
    charAt: (x, a) => {
      const i = int(a[0]);
      if (i < 0 || i >= x.length) throwApex(rt, "StringException", `Index out of bounds: ${i}`);
      return x.charCodeAt(i);
    },
    countMatches: (x, a, l) => {
      const t = s(a[0], l);
      return t === "" ? 0 : x.split(t).length - 1;
    },
    remove: (x, a, l) => x.split(s(a[0], l)).join(""),
    removeStart: (x, a, l) => (x.startsWith(s(a[0], l)) ? x.slice(s(a[0], l).length) : x),
    removeEnd: (x, a, l) => (s(a[0], l) !== "" && x.endsWith(s(a[0], l)) ? x.slice(0, -s(a[0], l).length) : x),
    removeStartIgnoreCase: (x, a, l) =>
      x.toLowerCase().startsWith(s(a[0], l).toLowerCase()) ? x.slice(s(a[0], l).length) : x,
    removeEndIgnoreCase: (x, a, l) =>
      s(a[0], l) !== "" && x.toLowerCase().endsWith(s(a[0], l).toLowerCase()) ? x.slice(0, -s(a[0], l).length) : x,
    repeat: (x, a) =>
      a.length === 1
        ? x.repeat(Math.max(0, int(a[0])))
        : Array(Math.max(0, int(a[1])))
            .fill(x)
            .join(s(a[0], {} as Loc)),
    reverse: (x) => [...x].reverse().join(""),
    leftPad: (x, a) => x.padStart(int(a[0]), a.length > 1 ? (a[1] as string) : " "),
    rightPad: (x, a) => x.padEnd(int(a[0]), a.length > 1 ? (a[1] as string) : " "),
    center: (x, a) => {
      const w = int(a[0]);
      const padChar = a.length > 1 ? (a[1] as string) : " ";
      if (w <= x.length) return x;
      const left = Math.floor((w - x.length) / 2);
      return x.padStart(x.length + left, padChar).padEnd(w, padChar);
    },
    // Letters and digits are Unicode ones (Java's Character.isLetter and isDigit), not just ASCII.
    isNumeric: (x) => /^\p{Nd}+$/u.test(x),
    isNumericSpace: (x) => /^[\p{Nd} ]+$/u.test(x),
    isAlpha: (x) => /^\p{L}+$/u.test(x),
    isAlphaSpace: (x) => /^[\p{L} ]*$/u.test(x),
    isAlphanumeric: (x) => /^[\p{L}\p{Nd}]+$/u.test(x),
    isAlphanumericSpace: (x) => /^[\p{L}\p{Nd} ]*$/u.test(x),
    isAllLowerCase: (x) => /^\p{Ll}+$/u.test(x),
    isAllUpperCase: (x) => /^\p{Lu}+$/u.test(x),
    substringBefore: (x, a, l) => {
      const i = x.indexOf(s(a[0], l));
      return i < 0 ? x : x.slice(0, i);
    },
    substringAfter: (x, a, l) => {
      const i = x.indexOf(s(a[0], l));
      return i < 0 ? "" : x.slice(i + s(a[0], l).length);
    },
    substringBeforeLast: (x, a, l) => {
      const i = x.lastIndexOf(s(a[0], l));
      return i < 0 ? x : x.slice(0, i);
    },
    substringAfterLast: (x, a, l) => {
      const i = x.lastIndexOf(s(a[0], l));
      return i < 0 ? "" : x.slice(i + s(a[0], l).length);
    },
    substringBetween: (x, a, l) => {
      const open = s(a[0], l);
      const close = a.length > 1 ? s(a[1], l) : open;
      const i = x.indexOf(open);
      if (i < 0) return null;
      const j = x.indexOf(close, i + open.length);
      return j < 0 ? null : x.slice(i + open.length, j);
    },
    escapeSingleQuotes: (x) => x.replace(/'/g, "\\'"),
    escapeJava: (x) => JSON.stringify(x).slice(1, -1),
    escapeHtml4: (x) => x.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"),
    escapeCsv: (x) => (/[",\n\r]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x),
    getChars: (x) =>
      new ApexList(
        prim("Integer"),
        [...x].map((c) => c.charCodeAt(0))
      ),
    format: (x, a, l) => format(rt, x, a[0], l),
    swapCase: (x) => [...x].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(""),
    containsAny: (x, a, l) => [...s(a[0], l)].some((c) => x.includes(c)),
    indexOfAny: (x, a, l) => {
      const idx = [...s(a[0], l)].map((c) => x.indexOf(c)).filter((i) => i >= 0);
      return idx.length ? Math.min(...idx) : -1;
    },
    lastIndexOfIgnoreCase: (x, a, l) =>
      lastIndexFrom(x.toLowerCase(), s(a[0], l).toLowerCase(), a.length > 1 ? int(a[1]) : undefined),
    indexOfChar: (x, a) => x.indexOf(String.fromCharCode(int(a[0])), a.length > 1 ? int(a[1]) : 0),
    lastIndexOfChar: (x, a) => lastIndexFrom(x, String.fromCharCode(int(a[0])), a.length > 1 ? int(a[1]) : undefined),
    codePointAt: (x, a) =>
      x.codePointAt(int(a[0])) ?? throwApex(rt, "StringException", `Index out of bounds: ${int(a[0])}`),
    isWhitespace: (x) => x !== "" && /^\s+$/.test(x),
    isAsciiPrintable: (x) => /^[\x20-\x7e]*$/.test(x),
    stripHtmlTags: (x) => x.replace(/<[^>]*>/g, ""),
    unescapeHtml4: (x) =>
      x
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, "&"),
    difference: (x, a, l) => {
      const y = s(a[0], l);
      let i = 0;
      while (i < x.length && i < y.length && x[i] === y[i]) i++;
      return y.slice(i);
    }
  });

  const valueOf = (a: Value[]) => {
    const v = a[0];
    if (v === null) return "null";
    if (v instanceof ApexDecimal) return v.toString();
    if (v instanceof ApexDate) return v.toString();
    return str(rt, v);
  };
  lib.static_("String", {
    valueOf,
    valueOfGmt: (a) => str(rt, a[0]),
    isBlank: (a) => a[0] === null || String(a[0]).trim() === "",
    isNotBlank: (a) => a[0] !== null && String(a[0]).trim() !== "",
    isEmpty: (a) => a[0] === null || a[0] === "",
    isNotEmpty: (a) => a[0] !== null && a[0] !== "",
    join: (a, l) => {
      const src = a[0];
      if (src === null) return null;
      const items =
        src instanceof ApexList
          ? src.items
          : src instanceof ApexSet
            ? setItems(src)
            : unsupported(rt, "String.join on this type", l);
      return items.map((x) => str(rt, x)).join(a[1] === null ? "null" : s(a[1], l));
    },
    format: (a, l) => format(rt, s(a[0], l), a[1], l),
    escapeSingleQuotes: (a, l) => s(a[0], l).replace(/'/g, "\\'"),
    fromCharArray: (a) => String.fromCharCode(...((a[0] as ApexList).items as number[]))
  });
}

/** String.format: `{0}` placeholders, `''` for a quote. */
function format(rt: RuntimeContext, pattern: string, args: Value, loc: Loc): string {
  const list = args instanceof ApexList ? args.items : [];
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      out += end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      i = end < 0 ? pattern.length : end;
      continue;
    }
    if (c === "{") {
      const end = pattern.indexOf("}", i);
      const body = pattern.slice(i + 1, end);
      // MessageFormat's typed arguments ({0,number,#.##}, {0,date}, ...) are not modelled.
      if (end > 0 && /^\s*\d+\s*,/.test(body)) unsupported(rt, `String.format argument {${body}}`, loc);
      const idx = Number(body);
      if (end > 0 && Number.isInteger(idx)) {
        const v = list[idx];
        out += idx < list.length ? (v === null ? "null" : str(rt, v)) : pattern.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/** Pattern and Matcher over JavaScript regular expressions (Java syntax subset). */
export function installPatterns(lib: Stdlib) {
  const rt = lib.runtime;
  const text = (v: Value): string => {
    if (v === null) nullPointer(rt);
    return String(v);
  };
  const compile = (regex: string) => new NativeObject("Pattern", { regex, re: javaRegex(rt, regex) });
  lib.nativeType("System.Pattern");
  lib.nativeType("System.Matcher");
  lib.static_("Pattern", {
    compile: (a) => compile(text(a[0])),
    matches: (a) => javaRegex(rt, `^(?:${text(a[0])})$`).test(text(a[1])),
    quote: (a) => `\\Q${text(a[0]).replace(/\\E/g, "\\E\\\\E\\Q")}\\E`
  });
  lib.instance<NativeObject>("pattern", {
    matcher: (p, a) => new NativeObject("Matcher", { regex: p.data.regex, input: text(a[0]), match: null, pos: 0 }),
    pattern: (p) => p.data.regex as string,
    split: (p, a) => new ApexList(prim("String"), text(a[0]).split(p.data.re as RegExp))
  });
  type M = { regex: string; input: string; match: RegExpExecArray | null; pos: number };
  const m = (o: NativeObject) => o.data as unknown as M;
  const current = (o: NativeObject) => {
    const mm = m(o).match;
    if (!mm) throwApex(rt, "StringException", "No match found");
    return mm;
  };
  lib.instance<NativeObject>("matcher", {
    matches: (o) => {
      const mm = javaRegex(rt, `^(?:${m(o).regex})$`).exec(m(o).input);
      m(o).match = mm;
      return mm !== null;
    },
    lookingAt: (o) => {
      const mm = javaRegex(rt, `^(?:${m(o).regex})`).exec(m(o).input);
      m(o).match = mm;
      return mm !== null;
    },
    find: (o) => {
      const re = javaRegex(rt, m(o).regex, "g");
      re.lastIndex = m(o).pos;
      const mm = re.exec(m(o).input);
      m(o).match = mm;
      if (mm) m(o).pos = mm.index + Math.max(1, mm[0].length);
      return mm !== null;
    },
    group: (o, a) => current(o)[a.length ? Number(a[0]) : 0] ?? null,
    groupCount: (o) => javaRegex(rt, `(?:${m(o).regex})|`).exec("")!.length - 1,
    start: (o) => current(o).index,
    end: (o) => current(o).index + current(o)[0].length,
    reset: (o) => {
      m(o).match = null;
      m(o).pos = 0;
      return o;
    }
  });
}
