/**
 * What the docs promise, read back so a test can hold them to the code: the commands they tell a reader to run,
 * the links between them, and the width of their tables.
 *
 * A command is taken from a shell code block (sh, bash, shell, console) line by line, or from inline code that
 * starts with `npm `, `npx ` or `sf `. Comments after ` # ` and leading `NAME=value` environment settings are
 * dropped; `a && b` is two commands.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export interface DocCommand {
  file: string;
  line: number;
  text: string;
  /** NAME=value settings written before the command. */
  env: Record<string, string>;
  words: string[];
}

const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console"]);

/** Splits a command line as a POSIX shell would for the simple lines docs hold: quotes group, nothing expands. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]);
  return words;
}

function commandsOfLine(file: string, line: number, raw: string): DocCommand[] {
  const withoutComment = raw.replace(/(^|\s)#\s.*$/, "").trim();
  const text = withoutComment.replace(/^\$\s+/, "");
  if (text === "") return [];
  return text.split(/\s&&\s/).map((part) => {
    const words = shellWords(part.trim());
    const env: Record<string, string> = {};
    while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
      const [name, ...value] = words.shift()!.split("=");
      env[name] = value.join("=");
    }
    return { file, line, text: part.trim(), env, words };
  });
}

export function documentedCommands(markdown: string, file: string): DocCommand[] {
  const commands: DocCommand[] = [];
  const lines = markdown.split("\n");
  let fence: string | null = null;
  lines.forEach((line, index) => {
    const fenceMatch = /^\s*```(\S*)/.exec(line);
    if (fenceMatch) {
      fence = fence === null ? fenceMatch[1] || "text" : null;
      return;
    }
    if (fence !== null) {
      if (SHELL_LANGUAGES.has(fence)) commands.push(...commandsOfLine(file, index + 1, line));
      return;
    }
    for (const span of line.matchAll(/`([^`]+)`/g)) {
      if (/^(npm|npx|sf) /.test(span[1])) commands.push(...commandsOfLine(file, index + 1, span[1]));
    }
  });
  return commands;
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*```/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[`*_]/g, "");
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
      .replace(/ /g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

export interface DocLink {
  file: string;
  line: number;
  target: string;
}

/** Links to files of the repository and to headings: web addresses and mail links are not followed. */
export function relativeLinks(markdown: string, file: string): DocLink[] {
  const links: DocLink[] = [];
  let inFence = false;
  markdown.split("\n").forEach((line, index) => {
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence) return;
    const withoutCode = line.replace(/`[^`]*`/g, "");
    for (const match of withoutCode.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(match[1])) continue;
      links.push({ file, line: index + 1, target: match[1] });
    }
  });
  return links;
}

/** Where a link leads nowhere: a missing file, or a heading its file does not have. */
export function brokenLink(root: string, link: DocLink): string | null {
  const [filePart, anchor] = link.target.split("#");
  const target = filePart === "" ? link.file : path.join(path.dirname(link.file), decodeURI(filePart));
  if (!existsSync(path.join(root, target))) return `${target} does not exist`;
  if (anchor === undefined || !target.endsWith(".md")) return null;
  const anchors = headingAnchors(readFileSync(path.join(root, target), "utf8"));
  return anchors.has(anchor) ? null : `${target} has no heading #${anchor}`;
}

/** Table rows wider than a terminal: [line number, width]. */
export function wideTableRows(markdown: string, limit: number): Array<[number, number]> {
  const rows: Array<[number, number]> = [];
  markdown.split("\n").forEach((line, index) => {
    if (line.startsWith("|") && line.length > limit) rows.push([index + 1, line.length]);
  });
  return rows;
}
