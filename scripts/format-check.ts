/**
 * Prettier check over Apex (prettier-plugin-apex), metadata XML (@prettier/plugin-xml) and
 * TS/JS/JSON/MD/HTML/CSS. Unlike `prettier --check`, it names the first line that differs in each
 * file, and a syntax error with its line (Apex that does not parse fails here first).
 *
 * Usage: tsx scripts/format-check.ts [--project DIR] [--write]
 */
import fs from "node:fs";
import path from "node:path";
import * as prettier from "prettier";
import { firstApexSyntaxError } from "./lib/apex-syntax";
import { type Finding } from "./lib/findings";
import { type GateOutcome, runGate } from "./lib/gate";
import { listFiles } from "./lib/project";

const FORMATTED = /\.(cls|trigger|apex|xml|ts|js|mjs|cjs|json|md|html|css|ya?ml)$/;

function firstDifferentLine(actual: string, expected: string): number {
  const a = actual.split("\n");
  const b = expected.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return i + 1;
  }
  return 1;
}

async function checkFile(file: string, write: boolean): Promise<Finding | undefined> {
  const source = fs.readFileSync(file, "utf8");
  const options = (await prettier.resolveConfig(file)) ?? {};
  try {
    const formatted = await prettier.format(source, {
      ...options,
      filepath: file
    });
    if (formatted === source) return undefined;
    if (write) {
      fs.writeFileSync(file, formatted);
      return undefined;
    }
    const line = firstDifferentLine(source, formatted);
    const expected = formatted.split("\n")[line - 1] ?? "";
    return {
      file,
      line,
      rule: "prettier",
      message: `not formatted; Prettier writes this line as: ${expected.trim()}`
    };
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message.split(/\r?\n/)[0] : String(error);
    let loc = (error as { loc?: { start?: { line?: number; column?: number } } }).loc?.start;
    if (!loc && /\.(cls|trigger)$/.test(file)) {
      const syntax = firstApexSyntaxError(source, file.endsWith(".trigger"));
      if (syntax) loc = { line: syntax.line, column: syntax.column + 1 };
    }
    return {
      file,
      line: loc?.line ?? 1,
      column: loc?.column,
      rule: "prettier",
      message: `cannot be parsed: ${message}`
    };
  }
}

async function main(): Promise<GateOutcome> {
  const args = process.argv.slice(2);
  const write = args.includes("--write");
  const projectIndex = args.indexOf("--project");
  const projectDir = path.resolve(projectIndex >= 0 ? args[projectIndex + 1] : ".");
  const ignorePath = [".gitignore", ".prettierignore"].map((name) => path.join(projectDir, name));

  const candidates = listFiles(projectDir, (name) => FORMATTED.test(name));
  const files: string[] = [];
  for (const file of candidates) {
    const info = await prettier.getFileInfo(file, {
      ignorePath,
      resolveConfig: true
    });
    if (!info.ignored && info.inferredParser) files.push(file);
  }
  const findings: Finding[] = [];
  for (const file of files) {
    const finding = await checkFile(file, write);
    if (finding) findings.push(finding);
  }
  return {
    findings,
    summary: `${files.length} files, ${findings.length} not formatted${findings.length > 0 ? " (fix: npm run format)" : ""}`
  };
}

runGate("format:check", main);
