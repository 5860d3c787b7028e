// Where a piece of Apex source is: the file's base name and the `(File.cls:42)` suffix that
// errors, syntax errors and unsupported features print.
import type { Loc } from "./ast.js";

export function baseName(file: string): string {
  const index = Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\"));
  return index >= 0 ? file.slice(index + 1) : file;
}

/** ` (File.cls:42)`, or nothing when the place is unknown. */
export function locationSuffix(loc: Loc | null): string {
  return loc ? ` (${baseName(loc.file)}:${loc.line})` : "";
}

/** The class that holds anonymous Apex; its frames print as AnonymousBlock. */
export const ANONYMOUS_CLASS = "AnonymousApex";

/** The class that holds an Apex trigger's body is named with this prefix and the trigger's name;
 * its frames print as `Trigger.Name: line N, column 1`, as the platform's do. */
export const TRIGGER_CLASS_PREFIX = "Trigger.";
