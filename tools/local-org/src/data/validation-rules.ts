// Validation rules: a small evaluator for the formula functions validation rules commonly
// use. Any other function stops DML with a "not supported" error naming the rule.
import type { RuntimeContext } from "../runtime/context.js";
import { ApexDate, ApexDatetime, ApexDecimal, ApexDouble, type Value } from "../runtime/values.js";
import type { SObjectDescribe } from "../runtime/describe.js";
import type { StoredRecord } from "./store.js";
import { unsupported } from "../runtime/errors.js";

export interface ValidationRule {
  name: string;
  active: boolean;
  formula: string;
  errorMessage: string;
  errorDisplayField: string | null;
  file: string;
}

type F = string | number | boolean | null;

type Node =
  | { kind: "lit"; v: F }
  | { kind: "field"; name: string }
  | { kind: "call"; fn: string; args: Node[] }
  | { kind: "bin"; op: string; l: Node; r: Node }
  | { kind: "not"; e: Node }
  | { kind: "neg"; e: Node };

const cache = new Map<string, Node>();

function tokenize(src: string): string[] {
  const regex =
    /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_.]*|&&|\|\||<>|!=|==|<=|>=|[()=<>+\-*/&!,^])/y;
  const out: string[] = [];
  let match: RegExpExecArray | null;
  regex.lastIndex = 0;
  while (regex.lastIndex < src.length && (match = regex.exec(src))) out.push(match[1]);
  if (src.slice(regex.lastIndex).trim() !== "")
    throw new Error(`cannot read formula near '${src.slice(regex.lastIndex, regex.lastIndex + 20)}'`);
  return out;
}

function parse(src: string): Node {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const expect = (t: string) => {
    if (toks[i] !== t) throw new Error(`expected ${t} in formula`);
    i++;
  };
  const levels: string[][] = [
    ["||"],
    ["&&"],
    ["=", "==", "!=", "<>"],
    ["<", ">", "<=", ">="],
    ["+", "-", "&"],
    ["*", "/"]
  ];
  const bin = (lvl: number): Node => {
    if (lvl === levels.length) return unary();
    let l = bin(lvl + 1);
    while (levels[lvl].includes(peek())) {
      const operator = next();
      l = { kind: "bin", op: operator, l, r: bin(lvl + 1) };
    }
    return l;
  };
  const unary = (): Node => {
    if (peek() === "!") {
      next();
      return { kind: "not", e: unary() };
    }
    if (peek() === "-") {
      next();
      return { kind: "neg", e: unary() };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = next();
    if (t === undefined) throw new Error("unexpected end of formula");
    if (t === "(") {
      const e = bin(0);
      expect(")");
      return e;
    }
    if (t[0] === '"' || t[0] === "'") return { kind: "lit", v: t.slice(1, -1).replace(/\\(.)/g, "$1") };
    if (/^\d/.test(t)) return { kind: "lit", v: Number(t) };
    const u = t.toUpperCase();
    if (u === "TRUE") return { kind: "lit", v: true };
    if (u === "FALSE") return { kind: "lit", v: false };
    if (u === "NULL") return { kind: "lit", v: null };
    if (peek() === "(") {
      next();
      const args: Node[] = [];
      if (peek() !== ")") {
        args.push(bin(0));
        while (peek() === ",") {
          next();
          args.push(bin(0));
        }
      }
      expect(")");
      return { kind: "call", fn: u, args };
    }
    return { kind: "field", name: t };
  };
  const node = bin(0);
  if (i < toks.length) throw new Error(`unexpected '${toks[i]}' in formula`);
  return node;
}

function toF(value: Value | undefined): F {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof ApexDecimal) return value.d.toNumber();
  if (value instanceof ApexDouble) return value.v;
  if (value instanceof ApexDate || value instanceof ApexDatetime) return value.ms;
  return String(value);
}

/** True when the rule's error condition holds, i.e. the save must fail. */
export function evaluateRule(
  runtime: RuntimeContext,
  rule: ValidationRule,
  obj: SObjectDescribe,
  record: StoredRecord,
  old: StoredRecord | null
): boolean {
  if (!rule.active) return false;
  let ast = cache.get(rule.formula);
  if (!ast) {
    try {
      ast = parse(rule.formula);
    } catch (error) {
      unsupported(runtime, `validation rule ${obj.name}.${rule.name} (${(error as Error).message})`, {
        file: rule.file,
        line: 1
      });
    }
    cache.set(rule.formula, ast);
  }
  const fieldOf = (node: Node): string => {
    if (node.kind !== "field")
      unsupported(runtime, `validation rule ${rule.name}: expected a field`, { file: rule.file, line: 1 });
    return node.name;
  };
  const get = (name: string, from: StoredRecord | null): F => {
    if (name.includes(".") || name.startsWith("$"))
      unsupported(runtime, `validation rule ${rule.name}: field reference ${name}`, { file: rule.file, line: 1 });
    if (!obj.fields.has(name.toLowerCase()))
      unsupported(runtime, `validation rule ${rule.name}: unknown field ${name}`, { file: rule.file, line: 1 });
    return toF(from?.get(name.toLowerCase()));
  };
  const blank = (value: F) => value === null || value === "";
  const s = (value: F) => (value === null ? "" : String(value));
  const constant = (node: Node): F => {
    switch (node.kind) {
      case "lit":
        return node.v;
      case "field":
        return get(node.name, record);
      case "not":
        return !constant(node.e);
      case "neg":
        return -Number(constant(node.e));
      case "bin": {
        if (node.op === "&&") return !!constant(node.l) && !!constant(node.r);
        if (node.op === "||") return !!constant(node.l) || !!constant(node.r);
        const l = constant(node.l);
        const r = constant(node.r);
        switch (node.op) {
          case "=":
          case "==":
            return (blank(l) && blank(r)) || l === r;
          case "!=":
          case "<>":
            return !((blank(l) && blank(r)) || l === r);
          case "<":
            return l !== null && r !== null && l < r;
          case ">":
            return l !== null && r !== null && l > r;
          case "<=":
            return l !== null && r !== null && l <= r;
          case ">=":
            return l !== null && r !== null && l >= r;
          case "&":
            return s(l) + s(r);
          case "+":
            return Number(l) + Number(r);
          case "-":
            return Number(l) - Number(r);
          case "*":
            return Number(l) * Number(r);
          case "/":
            return Number(l) / Number(r);
        }
        break;
      }
      case "call": {
        const a = node.args;
        switch (node.fn) {
          case "AND":
            return a.every((x) => !!constant(x));
          case "OR":
            return a.some((x) => !!constant(x));
          case "NOT":
            return !constant(a[0]);
          case "IF":
            return constant(a[0]) ? constant(a[1]) : constant(a[2]);
          case "ISBLANK":
          case "ISNULL":
            return blank(constant(a[0]));
          case "ISPICKVAL": {
            const value = constant(a[0]);
            const want = constant(a[1]);
            return s(value) === s(want);
          }
          case "TEXT":
            return s(constant(a[0]));
          case "LEN":
            return s(constant(a[0])).length;
          case "LOWER":
            return s(constant(a[0])).toLowerCase();
          case "UPPER":
            return s(constant(a[0])).toUpperCase();
          case "TRIM":
            return s(constant(a[0])).trim();
          case "BEGINS":
            return s(constant(a[0])).startsWith(s(constant(a[1])));
          case "CONTAINS":
            return s(constant(a[0])).includes(s(constant(a[1])));
          case "REGEX":
            // REGEX matches the whole text, like Java's String.matches.
            return new RegExp(`^(?:${s(constant(a[1]))})$`).test(s(constant(a[0])));
          case "BLANKVALUE":
            return blank(constant(a[0])) ? constant(a[1]) : constant(a[0]);
          case "NULLVALUE":
            return constant(a[0]) === null ? constant(a[1]) : constant(a[0]);
          case "ISNEW":
            return old === null;
          case "ISCHANGED": {
            const f = fieldOf(a[0]);
            return old !== null && get(f, old) !== get(f, record);
          }
          case "PRIORVALUE":
            return old === null ? null : get(fieldOf(a[0]), old);
          case "INCLUDES": {
            const v = s(constant(a[0])).split(";");
            return v.includes(s(constant(a[1])));
          }
        }
        unsupported(runtime, `formula function ${node.fn} in validation rule ${obj.name}.${rule.name}`, {
          file: rule.file,
          line: 1
        });
      }
    }
    return null;
  };
  return !!constant(ast);
}
