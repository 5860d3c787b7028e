// Command line: `tsx tools/local-org/src/cli.ts test [--source-dir DIR]... [--class NAME]... [--activate-flow NAME]... [--json FILE]`
import { writeFileSync } from "node:fs";
import { runTestsInWorker } from "./testing/worker.js";
import type { TestRunResult } from "./testing/runner.js";

const USAGE = "usage: cli.ts test [--source-dir DIR]... [--class NAME]... [--activate-flow NAME]... [--json FILE]";

function parseArgs(argv: string[]) {
  const [command, ...rest] = argv;
  const sourceDirs: string[] = [];
  const classes: string[] = [];
  const activateFlows: string[] = [];
  let json: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      const value = rest[++i];
      if (value === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return value;
    };
    if (a === "--source-dir") sourceDirs.push(value());
    else if (a === "--class") classes.push(value());
    else if (a === "--activate-flow") activateFlows.push(value());
    else if (a === "--json") json = value();
    else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return { command, sourceDirs, classes, activateFlows, json };
}

function report(r: TestRunResult): string {
  const lines: string[] = [];
  for (const test of r.tests) {
    lines.push(
      `${test.outcome === "Pass" ? "PASS" : "FAIL"}  ${test.className}.${test.methodName}  (${test.durationMs} ms)`
    );
  }
  const failures = r.tests.filter((test) => test.outcome === "Fail");
  if (failures.length) {
    lines.push("", "Failures:");
    for (const test of failures) {
      lines.push(`  ${test.className}.${test.methodName}`, `    ${test.message}`);
      for (const text of (test.stackTrace ?? "").split("\n").filter(Boolean)) lines.push(`    ${text}`);
    }
  }
  const cov = Object.entries(r.coverage);
  if (cov.length) {
    lines.push("", "Coverage:");
    let covered = 0;
    let total = 0;
    const width = Math.max(...cov.map(([name]) => name.length));
    for (const [name, c] of cov) {
      covered += c.covered;
      total += c.total;
      const pct = c.total ? Math.floor((c.covered / c.total) * 100) : 100;
      lines.push(
        `  ${name.padEnd(width)}  ${String(c.covered).padStart(4)}/${String(c.total).padEnd(4)}  ${String(pct).padStart(3)}%`
      );
    }
    lines.push(
      `  ${"Total".padEnd(width)}  ${String(covered).padStart(4)}/${String(total).padEnd(4)}  ${String(total ? Math.floor((covered / total) * 100) : 100).padStart(3)}%`
    );
  }
  lines.push("", `${r.passed} passed, ${r.failed} failed`);
  return lines.join("\n");
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (args.command !== "test") {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let result: TestRunResult;
  try {
    result = await runTestsInWorker({
      sourceDirs: args.sourceDirs.length > 0 ? args.sourceDirs : ["force-app"],
      classes: args.classes,
      activateFlows: args.activateFlows
    });
  } catch (error) {
    process.stderr.write(`local-org: ${(error as Error).message}\n`);
    return 2;
  }
  process.stdout.write(report(result) + "\n");
  if (args.json) {
    const json = {
      tests: result.tests.map((test) => ({
        className: test.className,
        methodName: test.methodName,
        outcome: test.outcome,
        message: test.message,
        durationMs: test.durationMs
      })),
      coverage: Object.fromEntries(
        Object.entries(result.coverage).map(([key, c]) => [key, { covered: c.covered, total: c.total }])
      )
    };
    writeFileSync(args.json, JSON.stringify(json, null, 2) + "\n");
  }
  return result.failed > 0 ? 1 : 0;
}

main().then((code) => (process.exitCode = code));
