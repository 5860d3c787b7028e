/**
 * `npm test`: every quality gate in turn, each an npm script of its own, then one line per gate and
 * the closing count. A failing gate does not stop the others, so one run shows every problem.
 *
 * Usage: tsx scripts/run-gates.ts [gate ...]   (default: all gates)
 */
import { spawn } from "node:child_process";

export const GATES = [
  "format:check",
  "lint",
  "typecheck",
  "check:layers",
  "build",
  "check:metadata",
  "check:apex",
  "check:apexdoc",
  "check:lwc-apex",
  "scan",
  "test:lwc",
  "test:apex",
  "test:scripts",
  "test:tools",
  "test:e2e",
  "test:browser"
] as const;

function runGate(gate: string): Promise<number> {
  return new Promise((resolve) => {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const child = spawn(npm, ["run", "--silent", gate], { stdio: "inherit" });
    child.on("error", () => resolve(1));
    child.on("close", (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((gate) => !(GATES as readonly string[]).includes(gate));
  if (unknown.length > 0) {
    console.error(`Unknown gate(s): ${unknown.join(", ")}. Gates: ${GATES.join(", ")}`);
    return 2;
  }
  const gates = requested.length > 0 ? requested : [...GATES];
  const results: { gate: string; ok: boolean; seconds: number }[] = [];
  for (const gate of gates) {
    console.log(`\n=== ${gate} ===`);
    const started = Date.now();
    const code = await runGate(gate);
    results.push({
      gate,
      ok: code === 0,
      seconds: (Date.now() - started) / 1000
    });
  }
  console.log("\n=== summary ===");
  for (const result of results) {
    console.log(`${result.ok ? "PASS" : "FAIL"}  ${result.gate.padEnd(16)} ${result.seconds.toFixed(1)} s`);
  }
  const failed = results.filter((result) => !result.ok).length;
  console.log(`gates: ${results.length - failed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code));
}
