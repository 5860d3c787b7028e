import fs from "node:fs";
import path from "node:path";

interface SfdxProject {
  packageDirectories: { path: string; default?: boolean }[];
  sourceApiVersion?: string;
}

export function readSfdxProject(projectDir: string): SfdxProject {
  const file = path.join(projectDir, "sfdx-project.json");
  return JSON.parse(fs.readFileSync(file, "utf8")) as SfdxProject;
}

/** Absolute paths of the project's package directories. */
export function packageDirectories(projectDir: string): string[] {
  return readSfdxProject(projectDir).packageDirectories.map((dir) => path.resolve(projectDir, dir.path));
}

/** Every file below `dir` whose name passes `accept`, sorted; node_modules and dot-folders are skipped. */
export function listFiles(dir: string, accept: (name: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (accept(entry.name)) found.push(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found.sort();
}

/** Reads `--name value` options (repeatable) and the rest as positional arguments. */
export function parseArgs(argv: readonly string[]): {
  options: Map<string, string[]>;
  positional: string[];
} {
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith("--")) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new Error(`Option ${arg} needs a value`);
      options.set(arg.slice(2), [...(options.get(arg.slice(2)) ?? []), value]);
      i++;
    } else {
      positional.push(arg);
    }
  }
  return { options, positional };
}
