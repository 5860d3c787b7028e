// String: instance methods and statics.
import type { Loc } from "../parse/ast.js";
import type { RuntimeContext } from "../runtime/context.js";
import { prim } from "../runtime/types.js";
import { ApexDate, ApexList, ApexSet, ApexDecimal, NativeObject, type Value } from "../runtime/values.js";
import { str, setItems } from "../runtime/operators.js";
import type { Stdlib } from "./registry.js";
import { throwApex, unsupported, nullPointer } from "../runtime/errors.js";
import { runtimeTypeName } from "../runtime/conversion.js";
import { fromJavaRegex } from "../runtime/java-regex.js";

/** Converts a Java regular expression to a JavaScript one for the common subset. */
export function javaRegex(runtime: RuntimeContext, pattern: string, flags = ""): RegExp {
  return fromJavaRegex(pattern, flags) ?? unsupported(runtime, `regular expression '${pattern}'`);
}

/**
 * Replaces like Java's Matcher: `\x` is a literal x, `$n` and `${name}` refer to groups, and a
 * `$` that names no group is an error there, so it stops here rather than come out literally.
 */
function javaReplace(runtime: RuntimeContext, text: string, regex: RegExp, replacement: string, loc: Loc): string {
  return text.replace(regex, (...m: unknown[]) => {
    const hasNamed = typeof m[m.length - 1] === "object" && m[m.length - 1] !== null;
    const groups = m.slice(0, m.length - (hasNamed ? 3 : 2)) as (string | undefined)[];
    const named = (hasNamed ? m[m.length - 1] : {}) as Record<string, string | undefined>;
    let out = "";
    for (let i = 0; i < replacement.length; i++) {
      const character = replacement[i];
      if (character === "\\") {
        i++;
        if (i >= replacement.length)
          unsupported(runtime, `replacement string '${replacement}' ending in a backslash`, loc);
        out += replacement[i];
      } else if (character === "$") {
        const rest = replacement.slice(i + 1);
        const name = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(rest);
        if (name && name[1] in named) {
          out += named[name[1]] ?? "";
          i += name[0].length;
          continue;
        }
        const digits = /^[0-9]+/.exec(rest);
        if (!digits || Number(digits[0][0]) >= groups.length)
          unsupported(runtime, `replacement string '${replacement}' with an invalid group reference`, loc);
        // Java reads further digits only while they still name an existing group.
        let n = Number(digits[0][0]);
        let used = 1;
        while (used < digits[0].length && n * 10 + Number(digits[0][used]) < groups.length) {
          n = n * 10 + Number(digits[0][used]);
          used++;
        }
        out += groups[n] ?? "";
        i += used;
      } else out += character;
    }
    return out;
  });
}

/** Apache Commons' abbreviate(str, offset, maxWidth), which Apex's abbreviate follows. */
function abbreviate(runtime: RuntimeContext, text: string, offset: number, width: number): string {
  if (width < 4) throwApex(runtime, "IllegalArgumentException", "Minimum abbreviation width is 4");
  if (text.length <= width) return text;
  let from = Math.min(offset, text.length);
  if (text.length - from < width - 3) from = text.length - (width - 3);
  if (from <= 4) return text.slice(0, width - 3) + "...";
  if (width < 7) throwApex(runtime, "IllegalArgumentException", "Minimum abbreviation width with offset is 7");
  if (from + width - 3 < text.length) return "..." + abbreviate(runtime, text.slice(from), 0, width - 3);
  return "..." + text.slice(text.length - (width - 3));
}

/** Java's lastIndexOf(str, from): a negative start finds nothing (JavaScript clamps it to 0). */
function lastIndexFrom(text: string, sub: string, from: number | undefined): number {
  if (from === undefined) return text.lastIndexOf(sub);
  return from < 0 ? -1 : text.lastIndexOf(sub, from);
}

export function installStrings(lib: Stdlib) {
  const runtime = lib.runtime;
  const s = (value: Value, loc: Loc): string => {
    if (value === null) nullPointer(runtime);
    if (typeof value !== "string") unsupported(runtime, `String argument of type ${runtimeTypeName(value)}`, loc);
    return value;
  };
  const int = (value: Value): number => {
    if (value === null) nullPointer(runtime);
    return Number(value);
  };
  const strList = (items: string[]) => new ApexList(prim("String"), items);

  lib.instance<string>("string", {
    length: (text) => text.length,
    substring: (text, args) => {
      const b = int(args[0]);
      const e = args.length > 1 ? int(args[1]) : text.length;
      if (b < 0 || b > text.length) throwApex(runtime, "StringException", `Starting position out of bounds: ${b}`);
      if (e > text.length || e < b) throwApex(runtime, "StringException", `Ending position out of bounds: ${e}`);
      return text.substring(b, e);
    },
    indexOf: (text, args, loc) => text.indexOf(s(args[0], loc), args.length > 1 ? int(args[1]) : 0),
    indexOfIgnoreCase: (text, args, loc) =>
      text.toLowerCase().indexOf(s(args[0], loc).toLowerCase(), args.length > 1 ? int(args[1]) : 0),
    lastIndexOf: (text, args, loc) => lastIndexFrom(text, s(args[0], loc), args.length > 1 ? int(args[1]) : undefined),
    contains: (text, args, loc) => text.includes(s(args[0], loc)),
    containsIgnoreCase: (text, args, loc) => text.toLowerCase().includes(s(args[0], loc).toLowerCase()),
    containsNone: (text, args, loc) => ![...s(args[0], loc)].some((character) => text.includes(character)),
    containsOnly: (text, args, loc) => [...text].every((character) => s(args[0], loc).includes(character)),
    containsWhitespace: (text) => /\s/.test(text),
    startsWith: (text, args, loc) => text.startsWith(s(args[0], loc)),
    startsWithIgnoreCase: (text, args, loc) => text.toLowerCase().startsWith(s(args[0], loc).toLowerCase()),
    endsWith: (text, args, loc) => text.endsWith(s(args[0], loc)),
    endsWithIgnoreCase: (text, args, loc) => text.toLowerCase().endsWith(s(args[0], loc).toLowerCase()),
    equals: (text, args) => typeof args[0] === "string" && text === args[0],
    equalsIgnoreCase: (text, args) => typeof args[0] === "string" && text.toLowerCase() === args[0].toLowerCase(),
    compareTo: (text, args, loc) => {
      const y = s(args[0], loc);
      const n = Math.min(text.length, y.length);
      for (let i = 0; i < n; i++)
        if (text.charCodeAt(i) !== y.charCodeAt(i)) return text.charCodeAt(i) - y.charCodeAt(i);
      return text.length - y.length;
    },
    hashCode: (text) => {
      let h = 0;
      for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
      return h;
    },
    toUpperCase: (text) => text.toUpperCase(),
    toLowerCase: (text) => text.toLowerCase(),
    trim: (text) => text.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, ""),
    strip: (text) => text.trim(),
    normalizeSpace: (text) => text.trim().replace(/\s+/g, " "),
    deleteWhitespace: (text) => text.replace(/\s+/g, ""),
    isBlank: (text) => text.trim() === "",
    isNotBlank: (text) => text.trim() !== "",
    isEmpty: (text) => text === "",
    isNotEmpty: (text) => text !== "",
    split: (text, args, loc) => {
      const limit = args.length > 1 ? int(args[1]) : 0;
      if (text === "") return strList([""]);
      let parts = text.split(javaRegex(runtime, s(args[0], loc)));
      // Java drops a leading empty string produced by a zero-width match at the start.
      if (
        parts.length > 1 &&
        parts[0] === "" &&
        text.length > 0 &&
        javaRegex(runtime, s(args[0], loc)).exec(text)?.[0] === ""
      )
        parts.shift();
      if (limit > 0 && parts.length > limit) {
        const head = parts.slice(0, limit - 1);
        let consumed = 0;
        const regex = javaRegex(runtime, s(args[0], loc), "g");
        for (let i = 0; i < limit - 1; i++) {
          const match = regex.exec(text);
          if (!match) break;
          consumed = match.index + match[0].length;
        }
        parts = [...head, text.slice(consumed)];
      }
      if (limit === 0) while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
      return strList(parts);
    },
    replace: (text, args, loc) => text.split(s(args[0], loc)).join(s(args[1], loc)),
    replaceAll: (text, args, loc) =>
      javaReplace(runtime, text, javaRegex(runtime, s(args[0], loc), "g"), s(args[1], loc), loc),
    replaceFirst: (text, args, loc) =>
      javaReplace(runtime, text, javaRegex(runtime, s(args[0], loc)), s(args[1], loc), loc),
    matches: (text, args, loc) => javaRegex(runtime, `^(?:${s(args[0], loc)})$`).test(text),
    left: (text, args) => text.slice(0, Math.max(0, int(args[0]))),
    right: (text, args) => (int(args[0]) <= 0 ? "" : text.slice(-int(args[0]))),
    mid: (text, args) => text.substr(Math.max(0, int(args[0])), Math.max(0, int(args[1]))),
    abbreviate: (text, args) => abbreviate(runtime, text, args.length > 1 ? int(args[1]) : 0, int(args[0])),
    capitalize: (text) => (text ? text[0].toUpperCase() + text.slice(1) : text),
    uncapitalize: (text) => (text ? text[0].toLowerCase() + text.slice(1) : text),
    charAt: (text, args) => {
      const i = int(args[0]);
      if (i < 0 || i >= text.length) throwApex(runtime, "StringException", `Index out of bounds: ${i}`);
      return text.charCodeAt(i);
    },
    countMatches: (text, args, loc) => {
      const t = s(args[0], loc);
      return t === "" ? 0 : text.split(t).length - 1;
    },
    remove: (text, args, loc) => text.split(s(args[0], loc)).join(""),
    removeStart: (text, args, loc) => (text.startsWith(s(args[0], loc)) ? text.slice(s(args[0], loc).length) : text),
    removeEnd: (text, args, loc) =>
      s(args[0], loc) !== "" && text.endsWith(s(args[0], loc)) ? text.slice(0, -s(args[0], loc).length) : text,
    removeStartIgnoreCase: (text, args, loc) =>
      text.toLowerCase().startsWith(s(args[0], loc).toLowerCase()) ? text.slice(s(args[0], loc).length) : text,
    removeEndIgnoreCase: (text, args, loc) =>
      s(args[0], loc) !== "" && text.toLowerCase().endsWith(s(args[0], loc).toLowerCase())
        ? text.slice(0, -s(args[0], loc).length)
        : text,
    repeat: (text, args) =>
      args.length === 1
        ? text.repeat(Math.max(0, int(args[0])))
        : Array(Math.max(0, int(args[1])))
            .fill(text)
            .join(s(args[0], {} as Loc)),
    reverse: (text) => [...text].reverse().join(""),
    leftPad: (text, args) => text.padStart(int(args[0]), args.length > 1 ? (args[1] as string) : " "),
    rightPad: (text, args) => text.padEnd(int(args[0]), args.length > 1 ? (args[1] as string) : " "),
    center: (text, args) => {
      const width = int(args[0]);
      const padChar = args.length > 1 ? (args[1] as string) : " ";
      if (width <= text.length) return text;
      const left = Math.floor((width - text.length) / 2);
      return text.padStart(text.length + left, padChar).padEnd(width, padChar);
    },
    // Letters and digits are Unicode ones (Java's Character.isLetter and isDigit), not just ASCII.
    isNumeric: (text) => /^\p{Nd}+$/u.test(text),
    isNumericSpace: (text) => /^[\p{Nd} ]+$/u.test(text),
    isAlpha: (text) => /^\p{L}+$/u.test(text),
    isAlphaSpace: (text) => /^[\p{L} ]*$/u.test(text),
    isAlphanumeric: (text) => /^[\p{L}\p{Nd}]+$/u.test(text),
    isAlphanumericSpace: (text) => /^[\p{L}\p{Nd} ]*$/u.test(text),
    isAllLowerCase: (text) => /^\p{Ll}+$/u.test(text),
    isAllUpperCase: (text) => /^\p{Lu}+$/u.test(text),
    substringBefore: (text, args, loc) => {
      const i = text.indexOf(s(args[0], loc));
      return i < 0 ? text : text.slice(0, i);
    },
    substringAfter: (text, args, loc) => {
      const i = text.indexOf(s(args[0], loc));
      return i < 0 ? "" : text.slice(i + s(args[0], loc).length);
    },
    substringBeforeLast: (text, args, loc) => {
      const i = text.lastIndexOf(s(args[0], loc));
      return i < 0 ? text : text.slice(0, i);
    },
    substringAfterLast: (text, args, loc) => {
      const i = text.lastIndexOf(s(args[0], loc));
      return i < 0 ? "" : text.slice(i + s(args[0], loc).length);
    },
    substringBetween: (text, args, loc) => {
      const open = s(args[0], loc);
      const close = args.length > 1 ? s(args[1], loc) : open;
      const i = text.indexOf(open);
      if (i < 0) return null;
      const j = text.indexOf(close, i + open.length);
      return j < 0 ? null : text.slice(i + open.length, j);
    },
    escapeSingleQuotes: (text) => text.replace(/'/g, "\\'"),
    escapeJava: (text) => JSON.stringify(text).slice(1, -1),
    escapeHtml4: (text) =>
      text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"),
    escapeCsv: (text) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text),
    getChars: (text) =>
      new ApexList(
        prim("Integer"),
        [...text].map((character) => character.charCodeAt(0))
      ),
    format: (text, args, loc) => format(runtime, text, args[0], loc),
    swapCase: (text) =>
      [...text]
        .map((character) => (character === character.toUpperCase() ? character.toLowerCase() : character.toUpperCase()))
        .join(""),
    containsAny: (text, args, loc) => [...s(args[0], loc)].some((character) => text.includes(character)),
    indexOfAny: (text, args, loc) => {
      const idx = [...s(args[0], loc)].map((character) => text.indexOf(character)).filter((i) => i >= 0);
      return idx.length ? Math.min(...idx) : -1;
    },
    lastIndexOfIgnoreCase: (text, args, loc) =>
      lastIndexFrom(text.toLowerCase(), s(args[0], loc).toLowerCase(), args.length > 1 ? int(args[1]) : undefined),
    indexOfChar: (text, args) => text.indexOf(String.fromCharCode(int(args[0])), args.length > 1 ? int(args[1]) : 0),
    lastIndexOfChar: (text, args) =>
      lastIndexFrom(text, String.fromCharCode(int(args[0])), args.length > 1 ? int(args[1]) : undefined),
    codePointAt: (text, args) =>
      text.codePointAt(int(args[0])) ?? throwApex(runtime, "StringException", `Index out of bounds: ${int(args[0])}`),
    isWhitespace: (text) => text !== "" && /^\s+$/.test(text),
    isAsciiPrintable: (text) => /^[\x20-\x7e]*$/.test(text),
    stripHtmlTags: (text) => text.replace(/<[^>]*>/g, ""),
    unescapeHtml4: (text) =>
      text
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, "&"),
    difference: (text, args, loc) => {
      const y = s(args[0], loc);
      let i = 0;
      while (i < text.length && i < y.length && text[i] === y[i]) i++;
      return y.slice(i);
    }
  });

  const valueOf = (args: Value[]) => {
    const value = args[0];
    if (value === null) return "null";
    if (value instanceof ApexDecimal) return value.toString();
    if (value instanceof ApexDate) return value.toString();
    return str(runtime, value);
  };
  lib.static_("String", {
    valueOf,
    valueOfGmt: (args) => str(runtime, args[0]),
    isBlank: (args) => args[0] === null || String(args[0]).trim() === "",
    isNotBlank: (args) => args[0] !== null && String(args[0]).trim() !== "",
    isEmpty: (args) => args[0] === null || args[0] === "",
    isNotEmpty: (args) => args[0] !== null && args[0] !== "",
    join: (args, loc) => {
      const source = args[0];
      if (source === null) return null;
      const items =
        source instanceof ApexList
          ? source.items
          : source instanceof ApexSet
            ? setItems(source)
            : unsupported(runtime, "String.join on this type", loc);
      return items.map((item) => str(runtime, item)).join(args[1] === null ? "null" : s(args[1], loc));
    },
    format: (args, loc) => format(runtime, s(args[0], loc), args[1], loc),
    escapeSingleQuotes: (args, loc) => s(args[0], loc).replace(/'/g, "\\'"),
    fromCharArray: (args) => String.fromCharCode(...((args[0] as ApexList).items as number[]))
  });
}

/** String.format: `{0}` placeholders, `''` for a quote. */
function format(runtime: RuntimeContext, pattern: string, args: Value, loc: Loc): string {
  const list = args instanceof ApexList ? args.items : [];
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const character = pattern[i];
    if (character === "'") {
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
    if (character === "{") {
      const end = pattern.indexOf("}", i);
      const body = pattern.slice(i + 1, end);
      // MessageFormat's typed arguments ({0,number,#.##}, {0,date}, ...) are not modelled.
      if (end > 0 && /^\s*\d+\s*,/.test(body)) unsupported(runtime, `String.format argument {${body}}`, loc);
      const idx = Number(body);
      if (end > 0 && Number.isInteger(idx)) {
        const value = list[idx];
        out += idx < list.length ? (value === null ? "null" : str(runtime, value)) : pattern.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    out += character;
  }
  return out;
}

/** Pattern and Matcher over JavaScript regular expressions (Java syntax subset). */
export function installPatterns(lib: Stdlib) {
  const runtime = lib.runtime;
  const text = (value: Value): string => {
    if (value === null) nullPointer(runtime);
    return String(value);
  };
  const compile = (regex: string) => new NativeObject("Pattern", { regex, re: javaRegex(runtime, regex) });
  lib.nativeType("System.Pattern");
  lib.nativeType("System.Matcher");
  lib.static_("Pattern", {
    compile: (args) => compile(text(args[0])),
    matches: (args) => javaRegex(runtime, `^(?:${text(args[0])})$`).test(text(args[1])),
    quote: (args) => `\\Q${text(args[0]).replace(/\\E/g, "\\E\\\\E\\Q")}\\E`
  });
  lib.instance<NativeObject>("pattern", {
    matcher: (p, args) =>
      new NativeObject("Matcher", { regex: p.data.regex, input: text(args[0]), match: null, pos: 0 }),
    pattern: (p) => p.data.regex as string,
    split: (p, args) => new ApexList(prim("String"), text(args[0]).split(p.data.re as RegExp))
  });
  type M = { regex: string; input: string; match: RegExpExecArray | null; pos: number };
  const m = (object: NativeObject) => object.data as unknown as M;
  const current = (object: NativeObject) => {
    const match = m(object).match;
    if (!match) throwApex(runtime, "StringException", "No match found");
    return match;
  };
  lib.instance<NativeObject>("matcher", {
    matches: (object) => {
      const match = javaRegex(runtime, `^(?:${m(object).regex})$`).exec(m(object).input);
      m(object).match = match;
      return match !== null;
    },
    lookingAt: (object) => {
      const match = javaRegex(runtime, `^(?:${m(object).regex})`).exec(m(object).input);
      m(object).match = match;
      return match !== null;
    },
    find: (object) => {
      const regex = javaRegex(runtime, m(object).regex, "g");
      regex.lastIndex = m(object).pos;
      const match = regex.exec(m(object).input);
      m(object).match = match;
      if (match) m(object).pos = match.index + Math.max(1, match[0].length);
      return match !== null;
    },
    group: (object, args) => current(object)[args.length ? Number(args[0]) : 0] ?? null,
    groupCount: (object) => javaRegex(runtime, `(?:${m(object).regex})|`).exec("")!.length - 1,
    start: (object) => current(object).index,
    end: (object) => current(object).index + current(object)[0].length,
    reset: (object) => {
      m(object).match = null;
      m(object).pos = 0;
      return object;
    }
  });
}
