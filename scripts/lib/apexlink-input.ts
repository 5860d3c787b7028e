/**
 * What ApexLink 2.3.7 reads, taught the Apex it predates. Its grammar and platform stubs stop at API 55,
 * and the package is written for the current platform, so the check runs on a copy of the project in
 * which:
 * - the access-mode syntax of API 56+ is blanked out, character for character, so every other report
 *   keeps its line and column: `WITH USER_MODE` / `WITH SYSTEM_MODE` in SOQL and `as user` / `as system`
 *   in DML statements. ApexLink does not check SOQL clauses or access modes anyway; without this, a file
 *   that uses them is a syntax error and nothing else in it is checked;
 * - the platform classes newer than its stubs are declared from `config/apexlink-stubs/*.cls` (for
 *   example `Assert`), with the signatures of the Apex Reference, so that calls to them are checked
 *   (an unknown method, a wrong argument type) instead of reported as an unknown type.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  AccessLevelContext,
  ApexParserFactory,
  ApexSyntaxError,
  ThrowingErrorListener,
  WithClauseContext
} from "@apexdevtools/apex-parser";
import { readSfdxProject } from "./project";

/** Declarations of platform classes newer than ApexLink's stubs: the gate's own knowledge, whichever project it checks. */
export const PLATFORM_STUBS_DIR = path.resolve(__dirname, "..", "..", "config", "apexlink-stubs");

/** The folder, in the copy's first package directory, that holds the declarations of newer platform classes
 * (ApexLink 2.3.7 resolves a class of another package directory only through a namespace of its own). */
const STUBS_FOLDER = "apexlink-platform-stubs";

interface ParseNode {
  children?: ParseNode[] | null;
  start?: { start: number } | null;
  stop?: { stop: number } | null;
}

/**
 * The source with `WITH USER_MODE`, `WITH SYSTEM_MODE` and DML `as user` / `as system` replaced by spaces.
 * Source that does not parse is returned as it is: ApexLink then reports its syntax error.
 */
export function withoutAccessModes(source: string): string {
  let unit: ParseNode;
  try {
    const { parser } = ApexParserFactory.createLexerAndParser(source, ThrowingErrorListener.INSTANCE);
    unit = parser.compilationUnit() as unknown as ParseNode;
  } catch (error: unknown) {
    if (error instanceof ApexSyntaxError) return source;
    throw error;
  }
  const ranges: [number, number][] = [];
  const visit = (node: ParseNode): void => {
    const isAccessMode =
      node instanceof AccessLevelContext ||
      (node instanceof WithClauseContext && (node.USER_MODE() !== null || node.SYSTEM_MODE() !== null));
    if (isAccessMode && node.start && node.stop) {
      ranges.push([node.start.start, node.stop.stop]);
      return;
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(unit);
  // The parser's offsets count code points; blanking code point by code point keeps every line and column.
  const characters = [...source];
  for (const [from, to] of ranges) {
    for (let i = from; i <= to; i++) if (characters[i] !== "\n" && characters[i] !== "\r") characters[i] = " ";
  }
  return characters.join("");
}

export interface ApexLinkWorkspace {
  /** The copy ApexLink reads. */
  dir: string;
  /** A path ApexLink reports, as the file of the project (or of the platform stubs) it came from. */
  original(reported: string): string;
  remove(): void;
}

/** Copies the project's package directories (Apex rewritten) and declares the newer platform classes. */
export function prepareWorkspace(projectDir: string): ApexLinkWorkspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stigg-apexlink-"));
  const project = readSfdxProject(projectDir);
  const stubsSource = PLATFORM_STUBS_DIR;
  const stubFiles = fs.existsSync(stubsSource)
    ? fs
        .readdirSync(stubsSource)
        .filter((name) => name.endsWith(".cls"))
        .sort()
    : [];

  const copy = (from: string, to: string): void => {
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const source = path.join(from, entry.name);
      const target = path.join(to, entry.name);
      if (entry.isDirectory()) {
        fs.mkdirSync(target, { recursive: true });
        copy(source, target);
      } else if (/\.(cls|trigger)$/.test(entry.name)) {
        fs.writeFileSync(target, withoutAccessModes(fs.readFileSync(source, "utf8")));
      } else {
        fs.copyFileSync(source, target);
      }
    }
  };
  for (const packageDir of project.packageDirectories) {
    const from = path.resolve(projectDir, packageDir.path);
    if (!fs.existsSync(from)) continue;
    const to = path.join(dir, packageDir.path);
    fs.mkdirSync(to, { recursive: true });
    copy(from, to);
  }
  if (fs.existsSync(path.join(projectDir, ".forceignore"))) {
    fs.copyFileSync(path.join(projectDir, ".forceignore"), path.join(dir, ".forceignore"));
  }

  const stubsCopy = path.join(dir, project.packageDirectories[0].path, STUBS_FOLDER, "classes");
  if (stubFiles.length > 0) {
    const classes = stubsCopy;
    fs.mkdirSync(classes, { recursive: true });
    const apiVersion = project.sourceApiVersion ?? "55.0";
    for (const name of stubFiles) {
      fs.copyFileSync(path.join(stubsSource, name), path.join(classes, name));
      fs.writeFileSync(
        path.join(classes, `${name}-meta.xml`),
        `<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>${apiVersion}</apiVersion>\n    <status>Active</status>\n</ApexClass>\n`
      );
    }
  }
  fs.copyFileSync(path.join(projectDir, "sfdx-project.json"), path.join(dir, "sfdx-project.json"));
  return {
    dir,
    original(reported: string): string {
      const absolute = path.resolve(reported);
      if (absolute.startsWith(stubsCopy + path.sep)) return path.join(stubsSource, path.basename(absolute));
      if (absolute.startsWith(dir + path.sep)) return path.join(projectDir, path.relative(dir, absolute));
      return reported;
    },
    remove(): void {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
