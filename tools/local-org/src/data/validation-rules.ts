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
  const re =
    /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\d+(?:\.\d+)?|[A-Za-z_][A-Za-z0-9_.]*|&&|\|\||<>|!=|==|<=|>=|[()=<>+\-*/&!,^])/y;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < src.length && (m = re.exec(src))) out.push(m[1]);
  if (src.slice(re.lastIndex).trim() !== "")
    throw new Error(`cannot read formula near '${src.slice(re.lastIndex, re.lastIndex + 20)}'`);
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
      const op = next();
      l = { kind: "bin", op, l, r: bin(lvl + 1) };
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
  const n = bin(0);
  if (i < toks.length) throw new Error(`unexpected '${toks[i]}' in formula`);
  return n;
}

function toF(v: Value | undefined): F {
  if (v === undefined || v === null) return null;
  if (typeof v === "string" || typeof v === "boolean" || typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof ApexDecimal) return v.d.toNumber();
  if (v instanceof ApexDouble) return v.v;
  if (v instanceof ApexDate || v instanceof ApexDatetime) return v.ms;
  return String(v);
}

/** True when the rule's error condition holds, i.e. the save must fail. */
export function evaluateRule(
  rt: RuntimeContext,
  rule: ValidationRule,
  obj: SObjectDescribe,
  rec: StoredRecord,
  old: StoredRecord | null
): boolean {
  if (!rule.active) return false;
  let ast = cache.get(rule.formula);
  if (!ast) {
    try {
      ast = parse(rule.formula);
    } catch (e) {
      unsupported(rt, `validation rule ${obj.name}.${rule.name} (${(e as Error).message})`, {
        file: rule.file,
        line: 1
      });
    }
    cache.set(rule.formula, ast);
  }
  const fieldOf = (n: Node): string => {
    if (n.kind !== "field")
      unsupported(rt, `validation rule ${rule.name}: expected a field`, { file: rule.file, line: 1 });
    return n.name;
  };
  const get = (name: string, from: StoredRecord | null): F => {
    if (name.includes(".") || name.startsWith("$"))
      unsupported(rt, `validation rule ${rule.name}: field reference ${name}`, { file: rule.file, line: 1 });
    if (!obj.fields.has(name.toLowerCase()))
      unsupported(rt, `validation rule ${rule.name}: unknown field ${name}`, { file: rule.file, line: 1 });
    return toF(from?.get(name.toLowerCase()));
  };
  const blank = (v: F) => v === null || v === "";
  const s = (v: F) => (v === null ? "" : String(v));
  const ev = (n: Node): F => {
    switch (n.kind) {
      case "lit":
        return n.v;
      case "field":
        return get(n.name, rec);
      case "not":
        return !ev(n.e);
      case "neg":
        return -Number(ev(n.e));
      case "bin": {
        if (n.op === "&&") return !!ev(n.l) && !!ev(n.r);
        if (n.op === "||") return !!ev(n.l) || !!ev(n.r);
        const l = ev(n.l);
        const r = ev(n.r);
        switch (n.op) {
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
        const a = n.args;
        switch (n.fn) {
          case "AND":
            return a.every((x) => !!ev(x));
          case "OR":
            return a.some((x) => !!ev(x));
          case "NOT":
            return !ev(a[0]);
          case "IF":
            return ev(a[0]) ? ev(a[1]) : ev(a[2]);
          case "ISBLANK":
          case "ISNULL":
            return blank(ev(a[0]));
          case "ISPICKVAL": {
            const v = ev(a[0]);
            const want = ev(a[1]);
            return s(v) === s(want);
          }
          case "TEXT":
            return s(ev(a[0]));
          case "LEN":
            return s(ev(a[0])).length;
          case "LOWER":
            return s(ev(a[0])).toLowerCase();
          case "UPPER":
            return s(ev(a[0])).toUpperCase();
          case "TRIM":
            return s(ev(a[0])).trim();
          case "BEGINS":
            return s(ev(a[0])).startsWith(s(ev(a[1])));
          case "CONTAINS":
            return s(ev(a[0])).includes(s(ev(a[1])));
          case "REGEX":
            // REGEX matches the whole text, like Java's String.matches.
            return new RegExp(`^(?:${s(ev(a[1]))})$`).test(s(ev(a[0])));
          case "BLANKVALUE":
            return blank(ev(a[0])) ? ev(a[1]) : ev(a[0]);
          case "NULLVALUE":
            return ev(a[0]) === null ? ev(a[1]) : ev(a[0]);
          case "ISNEW":
            return old === null;
          case "ISCHANGED": {
            const f = fieldOf(a[0]);
            return old !== null && get(f, old) !== get(f, rec);
          }
          case "PRIORVALUE":
            return old === null ? null : get(fieldOf(a[0]), old);
          case "INCLUDES": {
            const v = s(ev(a[0])).split(";");
            return v.includes(s(ev(a[1])));
          }
        }
        unsupported(rt, `formula function ${n.fn} in validation rule ${obj.name}.${rule.name}`, {
          file: rule.file,
          line: 1
        });
      }
    }
    return null;
  };
  return !!ev(ast);
}
