/**
 * ESLint over the whole project: the Salesforce LWC rules for components, TypeScript rules for
 * scripts and tools (eslint.config.js). One line a problem, `file:line:column: rule: message`.
 *
 * Usage: tsx scripts/lint.ts [--project DIR] [--fix]
 */
import path from "node:path";
import { ESLint } from "eslint";
import { type Finding } from "./lib/findings";
import { type GateOutcome, runGate } from "./lib/gate";

async function main(): Promise<GateOutcome> {
  const args = process.argv.slice(2);
  const projectIndex = args.indexOf("--project");
  const projectDir = path.resolve(projectIndex >= 0 ? args[projectIndex + 1] : ".");
  const eslint = new ESLint({
    cwd: projectDir,
    overrideConfigFile: path.resolve(__dirname, "..", "eslint.config.js"),
    fix: args.includes("--fix"),
    errorOnUnmatchedPattern: false
  });
  const results = await eslint.lintFiles(["."]);
  if (args.includes("--fix")) await ESLint.outputFixes(results);

  const findings: Finding[] = results.flatMap((result) =>
    result.messages.map((message) => ({
      file: result.filePath,
      line: message.line ?? 1,
      column: message.column,
      rule: message.ruleId ?? (message.fatal ? "parse-error" : "eslint"),
      message: message.message
    }))
  );
  const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
  const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
  // Warnings count as failures too: a rule worth enabling is worth keeping clean.
  return { findings, summary: `${results.length} files, ${errors} errors, ${warnings} warnings` };
}

runGate("lint", main);
