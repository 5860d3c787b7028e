// Reads formula text into a syntax tree. The grammar is the platform's: literals ("text" or
// 'text' with backslash escapes, numbers, TRUE/FALSE/NULL), references (Field__c,
// Parent.Field, $Global.Field, and flow merge fields {!Resource.Field}), function calls,
// /* comments */, and the operators by precedence: ^; unary - + and !; * /; + - &;
// = == <> != < > <= >=; &&; ||.
import type { BinaryOperator, FormulaNode } from "./syntax.js";
import { syntaxError } from "./errors.js";

type Token =
  | { kind: "number"; text: string; position: number }
  | { kind: "string"; value: string; position: number }
  | { kind: "name"; text: string; position: number }
  | { kind: "merge"; path: string; position: number }
  | { kind: "symbol"; text: string; position: number }
  | { kind: "end"; position: number };

const SYMBOLS = [
  "&&",
  "||",
  "<>",
  "!=",
  "==",
  "<=",
  ">=",
  "+",
  "-",
  "*",
  "/",
  "^",
  "&",
  "=",
  "<",
  ">",
  "!",
  "(",
  ")",
  ","
];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < source.length) {
    const char = source[position];
    if (/\s/.test(char)) {
      position++;
      continue;
    }
    if (source.startsWith("/*", position)) {
      const end = source.indexOf("*/", position + 2);
      if (end < 0) syntaxError("a comment is not closed with */", position);
      position = end + 2;
      continue;
    }
    if (source.startsWith("{!", position)) {
      const end = source.indexOf("}", position);
      if (end < 0) syntaxError("a merge field {!...} is not closed with }", position);
      tokens.push({ kind: "merge", path: source.slice(position + 2, end).trim(), position });
      position = end + 1;
      continue;
    }
    if (char === '"' || char === "'") {
      let value = "";
      let index = position + 1;
      for (;;) {
        if (index >= source.length) syntaxError("a text literal is not closed", position);
        const c = source[index];
        if (c === "\\" && index + 1 < source.length) {
          const next = source[index + 1];
          value += next === "n" ? "\n" : next === "r" ? "\r" : next === "t" ? "\t" : next;
          index += 2;
          continue;
        }
        if (c === char) break;
        value += c;
        index++;
      }
      tokens.push({ kind: "string", value, position });
      position = index + 1;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)/.exec(source.slice(position));
    if (number) {
      tokens.push({ kind: "number", text: number[0], position });
      position += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_$][A-Za-z0-9_$.]*/.exec(source.slice(position));
    if (name) {
      tokens.push({ kind: "name", text: name[0], position });
      position += name[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => source.startsWith(s, position));
    if (!symbol) syntaxError(`unexpected character '${char}'`, position);
    tokens.push({ kind: "symbol", text: symbol, position });
    position += symbol.length;
  }
  tokens.push({ kind: "end", position });
  return tokens;
}

/** Binary operators by precedence level, lowest first. */
const LEVELS: string[][] = [["||"], ["&&"], ["=", "==", "<>", "!=", "<", ">", "<=", ">="], ["+", "-", "&"], ["*", "/"]];

const CANONICAL: Record<string, BinaryOperator> = { "==": "=", "!=": "<>" };

export function parseFormula(source: string): FormulaNode {
  const tokens = tokenize(source);
  let index = 0;
  const peek = () => tokens[index];
  const isSymbol = (text: string) => {
    const token = tokens[index];
    return token.kind === "symbol" && token.text === text;
  };
  const expect = (text: string) => {
    if (!isSymbol(text)) syntaxError(`expected ${text}`, peek().position);
    index++;
  };

  const binary = (level: number): FormulaNode => {
    if (level === LEVELS.length) return power();
    let left = binary(level + 1);
    for (;;) {
      const token = peek();
      if (token.kind !== "symbol" || !LEVELS[level].includes(token.text)) return left;
      index++;
      const operator = CANONICAL[token.text] ?? (token.text as BinaryOperator);
      left = { kind: "binary", operator, left, right: binary(level + 1), position: token.position };
    }
  };
  const power = (): FormulaNode => {
    const base = unary();
    if (isSymbol("^")) {
      const position = peek().position;
      index++;
      return { kind: "binary", operator: "^", left: base, right: power(), position };
    }
    return base;
  };
  const unary = (): FormulaNode => {
    const token = peek();
    if (token.kind === "symbol" && (token.text === "-" || token.text === "+" || token.text === "!")) {
      index++;
      return { kind: "unary", operator: token.text, operand: unary(), position: token.position };
    }
    return primary();
  };
  const primary = (): FormulaNode => {
    const token = tokens[index++];
    switch (token.kind) {
      case "number":
        return { kind: "number", text: token.text, position: token.position };
      case "string":
        return { kind: "literal", value: token.value, position: token.position };
      case "merge":
        if (!token.path) syntaxError("an empty merge field {!}", token.position);
        return { kind: "reference", path: token.path, position: token.position };
      case "name": {
        if (isSymbol("(")) {
          index++;
          const args: FormulaNode[] = [];
          if (!isSymbol(")")) {
            args.push(binary(0));
            while (isSymbol(",")) {
              index++;
              args.push(binary(0));
            }
          }
          expect(")");
          return { kind: "call", name: token.text.toUpperCase(), args, position: token.position };
        }
        const upper = token.text.toUpperCase();
        if (upper === "TRUE") return { kind: "literal", value: true, position: token.position };
        if (upper === "FALSE") return { kind: "literal", value: false, position: token.position };
        if (upper === "NULL") return { kind: "literal", value: null, position: token.position };
        return { kind: "reference", path: token.text, position: token.position };
      }
      case "symbol":
        if (token.text === "(") {
          const inner = binary(0);
          expect(")");
          return inner;
        }
        return syntaxError(`unexpected '${token.text}'`, token.position);
      case "end":
        return syntaxError("the formula ends too early", token.position);
    }
  };

  const tree = binary(0);
  const rest = peek();
  if (rest.kind !== "end") syntaxError("unexpected text after the end of the formula", rest.position);
  return tree;
}

const cache = new Map<string, FormulaNode>();

/** Parses once per distinct formula text. */
export function parseFormulaCached(source: string): FormulaNode {
  let tree = cache.get(source);
  if (!tree) {
    tree = parseFormula(source);
    cache.set(source, tree);
  }
  return tree;
}

/** The references a formula reads (for example to check them before it runs). */
export function formulaReferences(tree: FormulaNode): string[] {
  return collect(tree).references;
}

/** The functions a formula calls, by upper-case name. */
export function formulaFunctions(tree: FormulaNode): string[] {
  return collect(tree).functions;
}

function collect(tree: FormulaNode): { references: string[]; functions: string[] } {
  const references: string[] = [];
  const functions: string[] = [];
  const visit = (node: FormulaNode) => {
    if (node.kind === "reference") references.push(node.path);
    else if (node.kind === "call") {
      functions.push(node.name);
      node.args.forEach(visit);
    } else if (node.kind === "unary") visit(node.operand);
    else if (node.kind === "binary") {
      visit(node.left);
      visit(node.right);
    }
  };
  visit(tree);
  return { references, functions };
}
