import path from "node:path";

/** Severities as Salesforce Code Analyzer numbers them: 1 is the worst. */
export enum Severity {
  Critical = 1,
  High = 2,
  Moderate = 3,
  Low = 4,
  Info = 5
}

export interface Finding {
  file: string;
  line: number;
  column?: number;
  message: string;
  rule?: string;
  severity?: Severity;
}

/** `file:line[:column]: [Severity] rule: message`, with the path relative to the working directory. */
export function formatFinding(finding: Finding): string {
  const where = [relative(finding.file), finding.line, finding.column].filter((part) => part !== undefined).join(":");
  const severity = finding.severity === undefined ? "" : `[${Severity[finding.severity]}] `;
  const rule = finding.rule === undefined ? "" : `${finding.rule}: `;
  return `${where}: ${severity}${rule}${finding.message}`;
}

export function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel.split(path.sep).join("/");
}

export function byLocation(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0);
}
