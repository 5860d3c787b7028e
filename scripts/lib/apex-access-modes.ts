/**
 * ApexLink's grammar predates user-mode data access (API 56): it refuses `WITH USER_MODE` and
 * `WITH SYSTEM_MODE` in SOQL and `as user` / `as system` after a DML keyword with a syntax error,
 * and then checks nothing else in the file. These clauses change who may read and write, not what
 * the code names, so check:apex hands ApexLink a copy of the sources where each is replaced by as
 * many spaces: every line and column stays where it was, and every other reference is still
 * checked.
 */
import fs from "node:fs";
import path from "node:path";

const SOQL_MODE = /\bWITH\s+(?:USER_MODE|SYSTEM_MODE)\b/gi;
const DML_MODE = /\b(insert|update|upsert|delete|undelete|merge)(\s+as\s+(?:user|system))\b/gi;

/** The source with the access-mode clauses blanked out (same length, same lines). */
export function blankAccessModes(source: string): string {
  return source
    .replace(SOQL_MODE, (clause) => clause.replace(/\S/g, " "))
    .replace(DML_MODE, (_match, keyword: string, mode: string) => keyword + mode.replace(/\S/g, " "));
}

/** Copies the project (without node_modules and dot folders) with blanked Apex; returns the copy's root. */
export function copyWithBlankedAccessModes(projectDir: string, into: string): string {
  fs.cpSync(projectDir, into, {
    recursive: true,
    filter: (source) => {
      const name = path.basename(source);
      return name !== "node_modules" && (!name.startsWith(".") || source === projectDir);
    }
  });
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith(".cls") || entry.name.endsWith(".trigger"))
        fs.writeFileSync(file, blankAccessModes(fs.readFileSync(file, "utf8")));
    }
  };
  visit(into);
  return into;
}
