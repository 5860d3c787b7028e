/**
 * Security and quality scan: PMD (Code Analyzer's recommended Apex rules plus the AppExchange
 * security rules) over Apex and metadata XML, and Lightning Flow Scanner over flows.
 *
 * Severities follow Salesforce Code Analyzer. The scan fails on any unexplained finding rated Moderate or
 * worse, and on a file that could not be scanned; every finding goes to the report file. A finding is
 * explained when it is accepted where it is:
 * - in Apex, by `@SuppressWarnings('PMD.RuleName')` on the class, method or field, with a `//` comment
 *   right above it that says why (PMD then leaves the finding out; a suppression without its reason, or
 *   naming a rule the scan does not run, is itself a finding);
 * - in metadata XML and flows, which have no such annotation, by an entry in config/scan-accepted.json
 *   (file, rule, reason); an entry that no longer matches a finding fails the scan, so the list stays true.
 * Findings rated Low or Info are listed in the report only.
 *
 * Usage: tsx scripts/scan.ts [--project DIR] [--report FILE]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { getRules, parse as parseFlows, scan as scanFlows } from "@flow-scanner/lightning-flow-scanner-core";
import type { IRulesConfig } from "@flow-scanner/lightning-flow-scanner-core";
import { byLocation, type Finding, formatFinding, relative, Severity } from "./lib/findings";
import { pathVariants } from "./lib/flow-paths";
import { type GateOutcome, runGate } from "./lib/gate";
import { run } from "./lib/process";
import { listFiles, packageDirectories, parseArgs } from "./lib/project";

const require = createRequire(__filename);
const pmdEngineDir = path.dirname(require.resolve("@salesforce/code-analyzer-pmd-engine/package.json"));
const pmdClasspath = path.join(pmdEngineDir, "dist", "java-lib", "*");
const PMD_WRAPPER = "com.salesforce.sfca.pmdwrapper.PmdWrapper";
const APPEXCHANGE_RULESETS = ["sfca/rulesets/AppExchange_apex.xml", "sfca/rulesets/AppExchange_xml.xml"];

interface RuleMapping {
  severity: Severity;
  tags: string[];
}
const { RULE_MAPPINGS } = require("@salesforce/code-analyzer-pmd-engine/dist/pmd-rule-mappings.js") as {
  RULE_MAPPINGS: Record<string, RuleMapping>;
};

interface PmdRuleInfo {
  name: string;
  languageId: string;
  ruleSetFile: string;
}
interface PmdResults {
  violations: {
    rule: string;
    message: string;
    codeLocation: { file: string; startLine: number; startCol: number };
  }[];
  processingErrors: { file: string; message: string; detail?: string }[];
}

/**
 * Rule properties that teach a rule this project's conventions (never a threshold raised to pass): tests that
 * assert through a helper named assert... (assertDrift, assertFailure) do assert.
 */
const RULE_PROPERTIES: Record<string, Record<string, string>> = {
  ApexUnitTestClassShouldHaveAsserts: { additionalAssertMethodPattern: "assert[A-Z]\\w*" }
};

function ruleReference(rule: PmdRuleInfo): string {
  const properties = RULE_PROPERTIES[rule.name];
  if (!properties) return `  <rule ref="${rule.ruleSetFile}/${rule.name}" />`;
  return [
    `  <rule ref="${rule.ruleSetFile}/${rule.name}">`,
    "    <properties>",
    ...Object.entries(properties).map(([name, value]) => `      <property name="${name}" value="${value}" />`),
    "    </properties>",
    "  </rule>"
  ].join("\n");
}

/** The rules Code Analyzer runs by default ("Recommended") plus every AppExchange security rule. */
function selectRules(described: PmdRuleInfo[]): PmdRuleInfo[] {
  return described.filter((rule) => {
    const tags = RULE_MAPPINGS[rule.name]?.tags ?? [];
    return tags.includes("Recommended") || tags.includes("AppExchange");
  });
}

async function java(args: string[], workDir: string): Promise<void> {
  const result = await run("java", ["-cp", pmdClasspath, ...args], {
    cwd: workDir
  });
  const error = result.stdout.split("\n").find((line) => line.startsWith("[Error] "));
  if (result.code !== 0 || error) {
    throw new Error(
      `PMD failed (exit ${result.code}): ${error ?? result.stderr.trim().split("\n").slice(-5).join("\n")}`
    );
  }
}

async function runPmd(files: {
  apex: string[];
  xml: string[];
}): Promise<{ findings: Finding[]; ruleNames: Set<string> }> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "stigg-scan-"));
  try {
    const rulesetList = path.join(workDir, "rulesets.txt");
    fs.writeFileSync(rulesetList, APPEXCHANGE_RULESETS.join("\n"));
    const describeFile = path.join(workDir, "rules.json");
    await java([PMD_WRAPPER, "describe", describeFile, rulesetList, "apex,xml"], workDir);
    const rules = selectRules(JSON.parse(fs.readFileSync(describeFile, "utf8")) as PmdRuleInfo[]);

    const rulesetFile = path.join(workDir, "ruleset.xml");
    fs.writeFileSync(
      rulesetFile,
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<ruleset name="Stigg for Salesforce scan" xmlns="http://pmd.sourceforge.net/ruleset/2.0.0">',
        "  <description>Code Analyzer recommended rules and AppExchange security rules</description>",
        ...rules.map(ruleReference),
        "</ruleset>"
      ].join("\n")
    );
    const runDataPerLanguage: Record<string, { filesToScan: string[] }> = {};
    if (files.apex.length > 0) runDataPerLanguage.apex = { filesToScan: files.apex };
    if (files.xml.length > 0) runDataPerLanguage.xml = { filesToScan: files.xml };
    const ruleNames = new Set(rules.map((rule) => rule.name));
    if (Object.keys(runDataPerLanguage).length === 0) return { findings: [], ruleNames };

    const inputFile = path.join(workDir, "input.json");
    fs.writeFileSync(inputFile, JSON.stringify({ ruleSetInputFile: rulesetFile, runDataPerLanguage }));
    const resultsFile = path.join(workDir, "results.json");
    await java([PMD_WRAPPER, "run", inputFile, resultsFile], workDir);
    const results = JSON.parse(fs.readFileSync(resultsFile, "utf8")) as PmdResults;

    const findings: Finding[] = results.violations.map((violation) => ({
      file: violation.codeLocation.file,
      line: violation.codeLocation.startLine,
      column: violation.codeLocation.startCol,
      rule: `pmd:${violation.rule}`,
      severity: RULE_MAPPINGS[violation.rule]?.severity ?? Severity.Moderate,
      message: violation.message.trim()
    }));
    // A file PMD could not read was not scanned at all: that must not pass as clean.
    for (const error of results.processingErrors) {
      findings.push({
        file: error.file,
        line: lineOf(error.message),
        rule: "pmd:ProcessingError",
        severity: Severity.High,
        message: error.message.split("\n")[0]
      });
    }
    return { findings, ruleNames };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

function lineOf(message: string): number {
  const match = /line (\d+)/i.exec(message);
  return match ? Number(match[1]) : 1;
}

const FLOW_SEVERITY: Record<string, Severity> = {
  error: Severity.High,
  warning: Severity.Moderate,
  note: Severity.Low
};

async function runFlowScanner(flowFiles: string[], configFile: string): Promise<Finding[]> {
  if (flowFiles.length === 0) return [];
  const config = JSON.parse(fs.readFileSync(configFile, "utf8")) as IRulesConfig;
  // The scanner only logs a rule name it does not know and goes on without it: refuse instead.
  const configured = Object.keys(config.rules ?? {});
  const known = new Set(getRules(undefined, config).map((rule) => rule.name));
  const unknown = configured.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`${relative(configFile)}: unknown flow rule(s) ${unknown.join(", ")}`);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "stigg-flows-"));
  const originalOf = new Map<string, string>();
  const scanned: string[] = [];
  flowFiles.forEach((file, fileIndex) => {
    pathVariants(fs.readFileSync(file, "utf8")).forEach((variant, variantIndex) => {
      const copy = path.join(workDir, `${fileIndex}-${variantIndex}`, path.basename(file));
      fs.mkdirSync(path.dirname(copy), { recursive: true });
      fs.writeFileSync(copy, variant);
      originalOf.set(path.resolve(copy), file);
      scanned.push(copy);
    });
  });
  try {
    const parsed = await parseFlows(scanned);
    const findings = new Map<string, Finding>();
    const add = (finding: Finding): void => {
      // A finding outside the rewired path appears once per variant: keep one.
      findings.set(`${finding.file}:${finding.line}:${finding.column}:${finding.rule}:${finding.message}`, finding);
    };
    const original = (uri: string): string => originalOf.get(path.resolve(uri)) ?? uri;
    for (const flow of parsed) {
      // The scanner reports a truncated or malformed flow as clean, so a parse failure fails the scan.
      if (flow.errorMessage || !flow.flow) {
        add({
          file: original(flow.uri),
          line: 1,
          rule: "flow:ParseError",
          severity: Severity.High,
          message: `flow could not be read: ${flow.errorMessage ?? "no flow in file"}`
        });
      }
    }
    const readable = parsed.filter((flow) => flow.flow && !flow.errorMessage);
    for (const result of scanFlows(readable, config)) {
      const file = original(result.flow.fsPath ?? result.flow.uri ?? String(result.flow.name));
      for (const ruleResult of result.ruleResults) {
        if (ruleResult.errorMessage) {
          add({
            file,
            line: 1,
            rule: `flow:${ruleResult.ruleName}`,
            severity: Severity.High,
            message: `rule could not run: ${ruleResult.errorMessage}`
          });
        }
        if (!ruleResult.occurs) continue;
        for (const detail of ruleResult.details) {
          add({
            file,
            line: detail.lineNumber || 1,
            column: detail.columnNumber || undefined,
            rule: `flow:${ruleResult.ruleName}`,
            severity: FLOW_SEVERITY[ruleResult.severity] ?? Severity.Moderate,
            message: `${ruleResult.ruleDefinition.label}: ${detail.name} (${detail.type})`
          });
        }
      }
    }
    return [...findings.values()];
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

const SUPPRESSION = /@SuppressWarnings\s*\(\s*'([^']*)'\s*\)/gi;

/**
 * Every PMD suppression in Apex must say why, in a `//` comment on the line above it (or after it on its
 * line), and name rules the scan runs: otherwise the finding it hides is unexplained.
 */
function checkSuppressions(file: string, source: string, ruleNames: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const lines = source.split("\n");
  lines.forEach((text, index) => {
    for (const match of text.matchAll(SUPPRESSION)) {
      const names = match[1]
        .split(",")
        .map((name) => name.trim())
        .filter((name) => /^pmd\./i.test(name));
      if (names.length === 0) continue;
      const where = { file, line: index + 1, column: (match.index ?? 0) + 1, severity: Severity.High };
      const unknown = names.filter((name) => name !== "PMD" && !ruleNames.has(name.slice(4)));
      if (unknown.length > 0) {
        findings.push({
          ...where,
          rule: "scan:UnknownSuppressedRule",
          message: `${unknown.join(", ")}: no rule of that name runs in this scan (use PMD.RuleName as the report names it)`
        });
      }
      const above = index > 0 ? lines[index - 1].trim() : "";
      const trailing = text.slice((match.index ?? 0) + match[0].length).trim();
      const reason = above.startsWith("//")
        ? above.slice(2).trim()
        : trailing.startsWith("//")
          ? trailing.slice(2).trim()
          : "";
      if (reason.length === 0) {
        findings.push({
          ...where,
          rule: "scan:UnexplainedSuppression",
          message: `${match[0]} needs its reason: a // comment on the line above that says why the finding is accepted`
        });
      }
    }
  });
  return findings;
}

interface AcceptedFinding {
  /** The file's path from the project directory. */
  file: string;
  /** As the report names it, e.g. pmd:ProtectSensitiveData. */
  rule: string;
  reason: string;
}

/** Leaves out the accepted findings of XML and flows; reports entries without a reason or without a finding. */
function applyAccepted(findings: Finding[], projectDir: string, acceptedFile: string): Finding[] {
  if (!fs.existsSync(acceptedFile)) return findings;
  const entries = JSON.parse(fs.readFileSync(acceptedFile, "utf8")) as AcceptedFinding[];
  const used = new Set<AcceptedFinding>();
  const kept = findings.filter((finding) => {
    const file = path.relative(projectDir, finding.file).split(path.sep).join("/");
    const entry = entries.find((candidate) => candidate.file === file && candidate.rule === finding.rule);
    if (!entry || /\.(cls|trigger)$/.test(file)) return true;
    used.add(entry);
    return false;
  });
  for (const entry of entries) {
    const problem = /\.(cls|trigger)$/.test(entry.file)
      ? "Apex findings are accepted at their line with @SuppressWarnings and a reason, not here"
      : !entry.reason?.trim()
        ? "has no reason"
        : used.has(entry)
          ? undefined
          : "no longer matches a finding: remove it";
    if (problem) {
      kept.push({
        file: acceptedFile,
        line: 1,
        rule: "scan:AcceptedFinding",
        severity: Severity.High,
        message: `${entry.file} ${entry.rule} ${problem}`
      });
    }
  }
  return kept;
}

async function main(): Promise<GateOutcome> {
  const { options } = parseArgs(process.argv.slice(2));
  const projectDir = path.resolve(options.get("project")?.[0] ?? ".");
  const reportFile = path.resolve(options.get("report")?.[0] ?? path.join(projectDir, "reports", "scan.txt"));
  const configFile = path.join(projectDir, "config", "flow-scanner.json");
  const scanConfig = fs.existsSync(configFile)
    ? configFile
    : path.resolve(__dirname, "..", "config", "flow-scanner.json");

  const dirs = packageDirectories(projectDir);
  const apex = dirs.flatMap((dir) => listFiles(dir, (name) => /\.(cls|trigger)$/.test(name)));
  const xml = dirs.flatMap((dir) => listFiles(dir, (name) => name.endsWith("-meta.xml")));
  const flows = xml.filter((file) => file.endsWith(".flow-meta.xml"));

  const pmd = await runPmd({ apex, xml });
  const suppressions = apex.flatMap((file) => checkSuppressions(file, fs.readFileSync(file, "utf8"), pmd.ruleNames));
  const findings = applyAccepted(
    [...pmd.findings, ...suppressions, ...(await runFlowScanner(flows, scanConfig))],
    projectDir,
    path.join(projectDir, "config", "scan-accepted.json")
  ).sort(byLocation);
  const blocking = findings.filter((finding) => (finding.severity ?? Severity.Moderate) <= Severity.Moderate);

  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(
    reportFile,
    [
      `Scanned ${apex.length} Apex files, ${xml.length} metadata files, ${flows.length} flows.`,
      `${findings.length} findings, ${blocking.length} Moderate or worse and not accepted.`,
      "",
      ...findings.map(formatFinding),
      ""
    ].join("\n")
  );
  return {
    findings: blocking,
    summary: `${apex.length} Apex files, ${xml.length} metadata files, ${flows.length} flows; ${blocking.length} unexplained findings Moderate or worse, ${findings.length - blocking.length} Low or Info (report: ${relative(reportFile)})`
  };
}

runGate("scan", main);
