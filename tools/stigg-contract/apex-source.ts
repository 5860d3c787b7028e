/**
 * Reads the GraphQL documents out of the package's Apex source, the way StiggGraphQL.cls builds them.
 *
 * StiggGraphQL declares each operation as
 *   public static final Operation NAME = new Operation('kind', 'name', 'rootField', 'argument', 'InputType', 'selection', safeToRepeat);
 * with string literals only, and build() assembles a document for n requests with the rule mirrored in buildDocument().
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
/** The package's classes, then its Apex tests and test-only helpers. */
export const CLASSES_DIRS = [
  path.join(PROJECT_ROOT, "force-app", "main", "default", "classes"),
  path.join(PROJECT_ROOT, "force-app", "tests", "default", "classes")
];
export const CONTRACT_PATH = path.join(__dirname, "stigg.graphql");

export interface ApexOperation {
  constant: string;
  kind: string;
  name: string;
  rootField: string;
  argumentName: string;
  inputType: string;
  selection: string;
  safeToRepeat: boolean;
}

type Token =
  | { type: "string"; value: string }
  | { type: "plus" | "comma" | "close" | "semicolon" }
  | { type: "boolean"; value: boolean };

export function readClass(name: string): string {
  const dir = CLASSES_DIRS.find((candidate) => existsSync(path.join(candidate, `${name}.cls`)));
  if (!dir)
    throw new Error(`no class ${name}.cls in ${CLASSES_DIRS.map((d) => path.relative(PROJECT_ROOT, d)).join(" or ")}`);
  return readFileSync(path.join(dir, `${name}.cls`), "utf8");
}

export function listClasses(): string[] {
  return CLASSES_DIRS.flatMap((dir) => readdirSync(dir))
    .filter((file) => file.endsWith(".cls"))
    .map((file) => file.slice(0, -".cls".length))
    .sort();
}

/** Apex string literal body (between the quotes) to its value. */
export function unescapeApex(body: string): string {
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_match, escaped: string) => {
    if (escaped.length === 5) {
      return String.fromCharCode(parseInt(escaped.slice(1), 16));
    }
    const simple: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };
    return simple[escaped] ?? escaped;
  });
}

/** Tokens from `start` up to and including the first `)` or `;` outside a string literal. */
function tokenize(source: string, start: number, stopAt: "close" | "semicolon"): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < source.length) {
    const rest = source.slice(i);
    const space = /^(\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const literal = /^'((?:\\.|[^'\\])*)'/.exec(rest);
    if (literal) {
      tokens.push({ type: "string", value: unescapeApex(literal[1]) });
      i += literal[0].length;
      continue;
    }
    const bool = /^(true|false)\b/i.exec(rest);
    if (bool) {
      tokens.push({ type: "boolean", value: bool[1].toLowerCase() === "true" });
      i += bool[0].length;
      continue;
    }
    const symbol: Record<string, Token["type"]> = { "+": "plus", ",": "comma", ")": "close", ";": "semicolon" };
    const type = symbol[source[i]];
    if (!type) {
      throw new Error(
        `Only string literals, + and booleans may appear here; found ${JSON.stringify(rest.slice(0, 40))}`
      );
    }
    tokens.push({ type } as Token);
    i += 1;
    if (type === stopAt) {
      return tokens;
    }
  }
  throw new Error("Unterminated Apex expression");
}

/** Splits tokens at commas and joins each argument's literals ('a' + 'b'). */
function argumentsOf(tokens: Token[]): Array<string | boolean> {
  const values: Array<string | boolean> = [];
  let current: Array<string | boolean> = [];
  const flush = () => {
    if (current.length === 0) {
      throw new Error("Empty argument");
    }
    if (current.some((part) => typeof part === "boolean")) {
      if (current.length !== 1) {
        throw new Error("A boolean argument cannot be concatenated");
      }
      values.push(current[0]);
    } else {
      values.push(current.join(""));
    }
    current = [];
  };
  for (const token of tokens) {
    if (token.type === "string" || token.type === "boolean") {
      current.push(token.value);
    } else if (token.type === "comma" || token.type === "close" || token.type === "semicolon") {
      flush();
    }
  }
  return values;
}

/** Every `static final Operation X = new Operation(...)` of the given Apex source. */
export function readOperations(source: string): ApexOperation[] {
  const operations: ApexOperation[] = [];
  const declaration = /static\s+final\s+Operation\s+(\w+)\s*=\s*new\s+Operation\s*\(/g;
  for (let match = declaration.exec(source); match; match = declaration.exec(source)) {
    const args = argumentsOf(tokenize(source, match.index + match[0].length, "close"));
    if (args.length !== 7 || args.slice(0, 6).some((arg) => typeof arg !== "string") || typeof args[6] !== "boolean") {
      throw new Error(`${match[1]}: expected six string literals and a boolean, got ${JSON.stringify(args)}`);
    }
    const [kind, name, rootField, argumentName, inputType, selection] = args as string[];
    operations.push({
      constant: match[1],
      kind,
      name,
      rootField,
      argumentName,
      inputType,
      selection,
      safeToRepeat: args[6] as boolean
    });
  }
  return operations;
}

/** Every `static final String <NAME> = '...' + '...';` whose name starts with prefix. */
export function readStringConstants(source: string, prefix: string): Map<string, string> {
  const constants = new Map<string, string>();
  const declaration = new RegExp(`static\\s+final\\s+String\\s+(${prefix}\\w*)\\s*=`, "g");
  for (let match = declaration.exec(source); match; match = declaration.exec(source)) {
    const [value] = argumentsOf(tokenize(source, match.index + match[0].length, "semicolon"));
    if (typeof value !== "string") {
      throw new Error(`${match[1]} is not a string literal`);
    }
    constants.set(match[1], value);
  }
  return constants;
}

/** Mirror of StiggGraphQL.build(): the document for `count` requests of one operation. */
export function buildDocument(operation: ApexOperation, count: number): string {
  const variables: string[] = [];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    variables.push(`$in${i}: ${operation.inputType}`);
    fields.push(`r${i}: ${operation.rootField}(${operation.argumentName}: $in${i}) ${operation.selection}`);
  }
  return `${operation.kind} ${operation.name}(${variables.join(", ")}) { ${fields.join(" ")} }`;
}

/** The string literals of Apex source, in order. Comments are skipped, so an apostrophe in one cannot pair up. */
export function stringLiterals(source: string): string[] {
  const literals: string[] = [];
  let i = 0;
  while (i < source.length) {
    if (source.startsWith("//", i)) {
      const end = source.indexOf("\n", i);
      i = end === -1 ? source.length : end + 1;
    } else if (source.startsWith("/*", i)) {
      const end = source.indexOf("*/", i + 2);
      i = end === -1 ? source.length : end + 2;
    } else if (source[i] === "'") {
      const literal = /^'((?:\\.|[^'\\])*)'/.exec(source.slice(i));
      if (!literal) {
        throw new Error(`Unterminated string literal at offset ${i}`);
      }
      literals.push(unescapeApex(literal[1]));
      i += literal[0].length;
    } else {
      i++;
    }
  }
  return literals;
}

/** String literals in Apex source that look like a GraphQL operation. */
export function graphQLLikeLiterals(source: string): string[] {
  return stringLiterals(source).filter(
    (value) => /^\s*(query|mutation|subscription)\b\s*[\w({]/.test(value) || /\b\w+\s*\(\s*\w+\s*:\s*\$\w+/.test(value)
  );
}
