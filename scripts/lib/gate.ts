import { type Finding, formatFinding } from "./findings";

export interface GateOutcome {
  /** Problems that fail the gate, printed one a line in `file:line` form. */
  findings: Finding[];
  /** The gate's closing line, after its name. */
  summary: string;
}

/**
 * Runs a gate and exits: 0 when it found nothing, 1 with its findings, 2 when the gate itself could not
 * run (a missing tool, an unreadable input), so a broken gate never passes for a clean one.
 */
export function runGate(name: string, check: () => Promise<GateOutcome>): void {
  check().then(
    ({ findings, summary }) => {
      findings.forEach((finding) => console.error(formatFinding(finding)));
      const line = `${name}: ${summary}`;
      if (findings.length > 0) {
        console.error(line);
        process.exit(1);
      }
      console.log(line);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    }
  );
}
