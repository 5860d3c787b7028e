/**
 * Holds each command the docs give to what runs it, so that a renamed script, a dropped option or a misspelt
 * Salesforce CLI flag fails a test instead of a reader:
 * - `npm test`, `npm ci` and the gates (`npm run lint`, ...) are what `.ci/run` and `npm test` run;
 * - the main job, the benchmark, the preview and the org smoke check parse the documented options with their own
 *   parsers, which are what their command lines use;
 * - commands of the Salesforce CLI (`sf ...`, `npm run sf -- ...`, and the npm scripts over `scripts/sf.ts`) must
 *   name a command and flags the pinned CLI has (`sf commands --json`, read once, offline);
 * - `npx tsx FILE` runs a file that exists and reads every option given to it.
 * Anything else is reported, so a new kind of command gets a check before it reaches the docs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseBenchArguments } from "../bench";
import { GATES } from "../run-gates";
import { parseSmokeArgs } from "../org-smoke";
import { parseStartArguments } from "../start";
import { parsePreviewArguments } from "../../tools/preview/src/cli";
import type { DocCommand } from "./doc-commands";
import { sfEnv } from "./process";

interface SfCommand {
  flags: Set<string>;
}

/** The pinned Salesforce CLI's commands: id (and alias) to the long and short names of its flags. */
export function loadSfCommands(root: string): Map<string, SfCommand> {
  const bin = path.join(root, "node_modules", "@salesforce", "cli", "bin", "run.js");
  const result = spawnSync(process.execPath, [bin, "commands", "--json"], {
    env: sfEnv(),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024
  });
  if (result.status !== 0) throw new Error(`sf commands --json failed: ${result.stderr}`);
  const commands = new Map<string, SfCommand>();
  for (const command of JSON.parse(result.stdout) as Array<{
    id: string;
    aliases?: string[];
    flags?: Record<string, { char?: string; aliases?: string[] }>;
  }>) {
    const flags = new Set<string>(["--help", "-h"]);
    for (const [name, flag] of Object.entries(command.flags ?? {})) {
      flags.add(`--${name}`);
      if (flag.char) flags.add(`-${flag.char}`);
      for (const alias of flag.aliases ?? []) flags.add(alias.length === 1 ? `-${alias}` : `--${alias}`);
    }
    for (const id of [command.id, ...(command.aliases ?? [])]) commands.set(id, { flags });
  }
  return commands;
}

const isPlaceholder = (word: string) => /^<.*>$/.test(word) || word.endsWith("...");

/** The problem with an `sf` command line, or null. */
export function checkSfWords(words: string[], sfCommands: Map<string, SfCommand>): string | null {
  if (words.length === 0 || words.every(isPlaceholder)) return null;
  const topics = words.slice(0, words.findIndex((word) => word.startsWith("-")) >>> 0);
  let id: string | null = null;
  for (let length = topics.length; length > 0 && id === null; length--) {
    const candidate = topics.slice(0, length).join(":");
    if (sfCommands.has(candidate)) id = candidate;
  }
  if (id === null) return `the Salesforce CLI has no command "sf ${topics.join(" ")}"`;
  const flags = sfCommands.get(id)!.flags;
  const unknown = words
    .filter((word) => /^--?[a-z]/i.test(word))
    .map((word) => word.split("=")[0])
    .filter((flag) => !flags.has(flag));
  return unknown.length > 0 ? `"sf ${id.replace(/:/g, " ")}" has no flag ${unknown.join(", ")}` : null;
}

function problemOf(parse: () => unknown): string | null {
  try {
    const result = parse();
    if (result && typeof result === "object" && "error" in result) return String((result as { error: string }).error);
    return null;
  } catch (error) {
    return (error as Error).message.split("\n")[0];
  }
}

export class DocCommandChecker {
  private sfCommands: Map<string, SfCommand> | null = null;
  private readonly scripts: Record<string, string>;
  private readonly ciRun: string;
  private readonly namespace: string | undefined;

  constructor(private readonly root: string) {
    this.scripts = (
      JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }
    ).scripts;
    this.ciRun = readFileSync(path.join(root, ".ci", "run"), "utf8");
    this.namespace = (
      JSON.parse(readFileSync(path.join(root, "sfdx-project.json"), "utf8")) as { namespace?: string }
    ).namespace;
  }

  private sf(): Map<string, SfCommand> {
    this.sfCommands ??= loadSfCommands(this.root);
    return this.sfCommands;
  }

  /** Why the command cannot be trusted to work as written, or null when something runs or checks it. */
  check(command: DocCommand): string | null {
    const [program, ...rest] = command.words;
    if (program === "npm") return this.checkNpm(rest, command.env);
    if (program === "sf") return checkSfWords(rest, this.sf());
    if (program === "npx") return this.checkNpx(rest);
    return `no check knows the program "${program}"`;
  }

  private checkNpm(words: string[], env: Record<string, string>): string | null {
    const [verb, ...rest] = words;
    if (verb === "ci") return this.ciRun.includes("npm ci") ? null : ".ci/run does not run npm ci";
    if (verb === "test" && rest.length === 0)
      return this.ciRun.includes("npm test") ? null : ".ci/run does not run npm test";
    let script: string;
    let args: string[];
    if (verb === "start") [script, args] = ["start", rest];
    else if (verb === "run" && rest.length > 0) [script, args] = [rest[0], rest.slice(1)];
    else return `"npm ${words.join(" ")}" is no npm script`;
    const body = this.scripts[script];
    if (body === undefined) return `package.json has no script "${script}"`;
    if (args[0] === "--") args = args.slice(1);
    else if (args.length > 0) return `options of "npm run ${script}" go after --, as npm passes them`;

    if (args.length === 0 && (GATES as readonly string[]).includes(script)) return null;
    if (body.includes("scripts/start.ts")) return problemOf(() => parseStartArguments(args));
    if (body.includes("scripts/bench.ts")) return problemOf(() => parseBenchArguments(args));
    if (body.includes("tools/preview/src/cli.ts")) return problemOf(() => parsePreviewArguments(args));
    if (body.includes("scripts/org-smoke.ts")) {
      return problemOf(() => parseSmokeArgs(args, { ...env }, () => "server-key", this.namespace));
    }
    if (body.includes("scripts/sf.ts")) {
      const sfPart = body.split("&&").find((part) => part.includes("scripts/sf.ts"))!;
      const sfWords = sfPart.trim().split(/\s+/);
      return checkSfWords([...sfWords.slice(sfWords.indexOf("scripts/sf.ts") + 1), ...args], this.sf());
    }
    // The writing twin of a gate (format, lint:fix) or its watch mode runs the gate's own program.
    if (args.length === 0 && GATES.some((gate) => body.startsWith(this.scripts[gate] + " "))) return null;
    if (args.length === 0 && body.includes("tools/local-org/src/cli.ts")) return null;
    return `nothing runs or checks "npm run ${script}${args.length > 0 ? " -- " + args.join(" ") : ""}"`;
  }

  private checkNpx(words: string[]): string | null {
    if (words[0] !== "tsx") return `no check knows "npx ${words[0]}"`;
    const rest = words.slice(1);
    if (rest[0] === "--test") {
      const missing = rest.slice(1).filter((file) => !existsSync(path.join(this.root, file)));
      return missing.length > 0 ? `no test file ${missing.join(", ")}` : null;
    }
    const [file, ...args] = rest;
    if (file === undefined) return "npx tsx needs a file to run";
    if (!existsSync(path.join(this.root, file))) return `no file ${file}`;
    const source = readFileSync(path.join(this.root, file), "utf8");
    const unread = args.filter((arg) => arg.startsWith("--") && !source.includes(`"${arg}"`));
    return unread.length > 0 ? `${file} reads no option ${unread.join(", ")}` : null;
  }
}
