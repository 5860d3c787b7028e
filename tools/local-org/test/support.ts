// Test support: run Apex snippets on a fresh local org and read what they printed.
import { join } from "node:path";
import { LocalOrg, type AnonymousResult } from "../src/index.js";

/** A small package directory with custom objects, a setting, a validation rule and tests. */
export const SAMPLE_APP = join(__dirname, "fixtures", "sample-app");

/** A local org with only standard objects and the given classes (file name => source). */
export function org(classes: Record<string, string> = {}, sourceDirs: string[] = []): LocalOrg {
  return LocalOrg.load({
    sourceDirs,
    classSources: Object.entries(classes).map(([file, source]) => ({ file, source }))
  });
}

/** Runs anonymous Apex and returns its System.debug output; throws if the code failed. */
export function debug(code: string, classes: Record<string, string> = {}, sourceDirs: string[] = []): string[] {
  const r = org(classes, sourceDirs).runAnonymous(code);
  if (!r.success) throw new Error(`${r.exceptionMessage}\n${r.stackTrace ?? ""}`);
  return r.debugLog;
}

/** Runs anonymous Apex that is expected to fail and returns the result. */
export function failure(
  code: string,
  classes: Record<string, string> = {},
  sourceDirs: string[] = []
): AnonymousResult {
  const r = org(classes, sourceDirs).runAnonymous(code);
  if (r.success) throw new Error(`expected the code to fail, it printed: ${r.debugLog.join(" | ")}`);
  return r;
}
