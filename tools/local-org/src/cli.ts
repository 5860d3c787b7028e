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
      const v = rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
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
  for (const t of r.tests) {
    lines.push(`${t.outcome === "Pass" ? "PASS" : "FAIL"}  ${t.className}.${t.methodName}  (${t.durationMs} ms)`);
  }
  const failures = r.tests.filter((t) => t.outcome === "Fail");
  if (failures.length) {
    lines.push("", "Failures:");
    for (const t of failures) {
      lines.push(`  ${t.className}.${t.methodName}`, `    ${t.message}`);
      for (const s of (t.stackTrace ?? "").split("\n").filter(Boolean)) lines.push(`    ${s}`);
    }
  }
  const cov = Object.entries(r.coverage);
  if (cov.length) {
    lines.push("", "Coverage:");
    let covered = 0;
    let total = 0;
    const width = Math.max(...cov.map(([n]) => n.length));
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
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
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
  } catch (e) {
    process.stderr.write(`local-org: ${(e as Error).message}\n`);
    return 2;
  }
  process.stdout.write(report(result) + "\n");
  if (args.json) {
    const json = {
      tests: result.tests.map((t) => ({
        className: t.className,
        methodName: t.methodName,
        outcome: t.outcome,
        message: t.message,
        durationMs: t.durationMs
      })),
      coverage: Object.fromEntries(
        Object.entries(result.coverage).map(([k, c]) => [k, { covered: c.covered, total: c.total }])
      )
    };
    writeFileSync(args.json, JSON.stringify(json, null, 2) + "\n");
  }
  return result.failed > 0 ? 1 : 0;
}

main().then((code) => (process.exitCode = code));
