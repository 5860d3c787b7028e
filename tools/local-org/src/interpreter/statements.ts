// Statements: blocks, declarations, conditionals and loops, try/catch/finally, switch, DML and
// System.runAs.
import type { BlockStmt, Loc, Stmt } from "../parse/ast.js";
import { coerce, isInstance, runtimeTypeName } from "../runtime/conversion.js";
import { ApexThrow, unsupported, nullPointer } from "../runtime/errors.js";
import { tickCpu } from "../runtime/governor.js";
import { looseEquals, setItems } from "../runtime/operators.js";
import { ApexList, ApexObject, ApexSet, EnumValue, SObjectValue, type Value } from "../runtime/values.js";
import { BREAK, CONTINUE, type Completion, type Evaluator, type Frame } from "./evaluator.js";
import { resolveType } from "./type-resolution.js";
import { findUserMethod, callObjectMethod } from "./methods.js";
import { truthy, evaluate } from "./expressions.js";

export function executeBlock(evaluator: Evaluator, b: BlockStmt, frame: Frame): Completion {
  frame.scopes.push(new Map());
  try {
    return executeStatements(evaluator, b.body, frame);
  } finally {
    frame.scopes.pop();
  }
}

export function executeStatements(evaluator: Evaluator, stmts: Stmt[], frame: Frame): Completion {
  for (const s of stmts) {
    const c = executeStatement(evaluator, s, frame);
    if (c) return c;
  }
  return undefined;
}

export function executeStatement(evaluator: Evaluator, s: Stmt, frame: Frame): Completion {
  if (s.kind === "Block") return executeBlock(evaluator, s, frame);
  evaluator.coverage.cover(frame, s.line);
  evaluator.transaction.limits.statements++;
  switch (s.kind) {
    case "Expr":
      evaluate(evaluator, s.expr, frame);
      return undefined;
    case "LocalVar": {
      const t = resolveType(evaluator, s.type, frame.cls, s);
      const scope = frame.scopes[frame.scopes.length - 1];
      for (const d of s.decls) {
        const key = d.name.toLowerCase();
        const v = d.init ? coerce(evaluator, evaluate(evaluator, d.init, frame), t) : null;
        scope.set(key, { t, v });
      }
      return undefined;
    }
    case "If":
      if (truthy(evaluator, evaluate(evaluator, s.cond, frame), s)) return executeScoped(evaluator, s.then, frame);
      return s.else ? executeScoped(evaluator, s.else, frame) : undefined;
    case "While":
      while (truthy(evaluator, evaluate(evaluator, s.cond, frame), s)) {
        const c = executeScoped(evaluator, s.body, frame);
        if (c === BREAK) break;
        if (c && c.kind === "return") return c;
        tickCpu(evaluator);
      }
      return undefined;
    case "DoWhile":
      do {
        const c = executeScoped(evaluator, s.body, frame);
        if (c === BREAK) break;
        if (c && c.kind === "return") return c;
        tickCpu(evaluator);
      } while (truthy(evaluator, evaluate(evaluator, s.cond, frame), s));
      return undefined;
    case "For": {
      frame.scopes.push(new Map());
      try {
        if (s.init) {
          if (Array.isArray(s.init)) s.init.forEach((e) => evaluate(evaluator, e, frame));
          else executeStatement(evaluator, s.init, frame);
        }
        while (!s.cond || truthy(evaluator, evaluate(evaluator, s.cond, frame), s)) {
          const c = executeScoped(evaluator, s.body, frame);
          if (c === BREAK) break;
          if (c && c.kind === "return") return c;
          for (const u of s.update) evaluate(evaluator, u, frame);
          tickCpu(evaluator);
        }
      } finally {
        frame.scopes.pop();
      }
      return undefined;
    }
    case "ForEach": {
      const coll = evaluate(evaluator, s.expr, frame);
      if (coll === null) nullPointer(evaluator);
      let items: Value[];
      if (coll instanceof ApexList) items = [...coll.items];
      else if (coll instanceof ApexSet) items = setItems(coll);
      else if (coll instanceof ApexObject) items = iterate(evaluator, coll, s);
      else unsupported(evaluator, `for-each over ${runtimeTypeName(coll)}`, s);
      const t = resolveType(evaluator, s.type, frame.cls, s);
      const key = s.name.toLowerCase();
      if (t.kind === "list" && coll instanceof ApexList && coll.fromQuery) {
        // A SOQL for loop with a list variable receives the rows in chunks of 200.
        const chunks: Value[] = [];
        for (let i = 0; i < items.length; i += 200) chunks.push(new ApexList(coll.elemType, items.slice(i, i + 200)));
        items = chunks;
      }
      const guarded = coll instanceof ApexList || coll instanceof ApexSet ? coll : null;
      if (guarded) guarded.iterating++;
      try {
        for (const item of items) {
          frame.scopes.push(new Map([[key, { t, v: coerce(evaluator, item, t) }]]));
          let c: Completion;
          try {
            c = executeStatement(evaluator, s.body, frame);
          } finally {
            frame.scopes.pop();
          }
          if (c === BREAK) break;
          if (c && c.kind === "return") return c;
          tickCpu(evaluator);
        }
      } finally {
        if (guarded) guarded.iterating--;
      }
      return undefined;
    }
    case "Return":
      return { kind: "return", value: s.expr ? evaluate(evaluator, s.expr, frame) : null };
    case "Break":
      return BREAK;
    case "Continue":
      return CONTINUE;
    case "Throw": {
      const v = evaluate(evaluator, s.expr, frame);
      if (v === null) nullPointer(evaluator);
      if (!(v instanceof ApexObject) || !v.ex) unsupported(evaluator, "throwing a non-exception value", s);
      throw new ApexThrow(v);
    }
    case "Try":
      return executeTry(evaluator, s, frame);
    case "Switch":
      return executeSwitch(evaluator, s, frame);
    case "Dml": {
      const v = evaluate(evaluator, s.expr, frame);
      // `upsert r Obj__c.Key__c` names the field with its object: the field is the last part.
      const ext = s.externalIdField ? s.externalIdField.split(".").pop()! : null;
      evaluator.data.dmlStatement(s.op, v, ext, s);
      return undefined;
    }
    case "RunAs": {
      const u = evaluate(evaluator, s.user, frame);
      const id = u instanceof SObjectValue && u.type.name === "User" ? u.fields.get("id") : null;
      if (typeof id !== "string") unsupported(evaluator, "System.runAs without a saved User", s);
      const previous = evaluator.transaction.runAsUserId;
      evaluator.transaction.runAsUserId = id;
      try {
        return executeBlock(evaluator, s.body, frame);
      } finally {
        evaluator.transaction.runAsUserId = previous;
      }
    }
    case "Unsupported":
      unsupported(evaluator, s.feature, s);
  }
}

/** Values of a user Iterable (iterator()) or Iterator (hasNext()/next()). */
export function iterate(evaluator: Evaluator, obj: ApexObject, loc: Loc): Value[] {
  let it: Value = obj;
  if (findUserMethod(obj.cls, "iterator", 0)) it = callObjectMethod(evaluator, obj, "iterator", [], loc);
  if (it instanceof ApexList) return [...it.items];
  if (!(it instanceof ApexObject) || !findUserMethod(it.cls, "hasnext", 0))
    unsupported(evaluator, `for-each over ${runtimeTypeName(obj)}`, loc);
  const out: Value[] = [];
  while (callObjectMethod(evaluator, it, "hasNext", [], loc) === true) {
    out.push(callObjectMethod(evaluator, it, "next", [], loc));
    tickCpu(evaluator);
  }
  return out;
}

export function executeScoped(evaluator: Evaluator, s: Stmt, frame: Frame): Completion {
  if (s.kind === "Block") return executeBlock(evaluator, s, frame);
  frame.scopes.push(new Map());
  try {
    return executeStatement(evaluator, s, frame);
  } finally {
    frame.scopes.pop();
  }
}

export function executeTry(evaluator: Evaluator, s: Extract<Stmt, { kind: "Try" }>, frame: Frame): Completion {
  const depth = evaluator.frames.length;
  const scopes = frame.scopes.length;
  let result: Completion;
  try {
    try {
      result = executeBlock(evaluator, s.body, frame);
    } catch (e) {
      if (!(e instanceof ApexThrow) || e.obj.cls.uncatchable) throw e;
      evaluator.frames.length = depth;
      frame.scopes.length = scopes;
      const clause = s.catches.find((c) => {
        const t = resolveType(evaluator, c.type, frame.cls, s);
        if (t.kind === "class" && t.cls.name === "Exception" && !t.cls.decl) return true;
        return isInstance(e.obj, t);
      });
      if (!clause) throw e;
      const t = resolveType(evaluator, clause.type, frame.cls, s);
      frame.scopes.push(new Map([[clause.name.toLowerCase(), { t, v: e.obj }]]));
      try {
        result = executeBlock(evaluator, clause.body, frame);
      } finally {
        frame.scopes.pop();
      }
    }
  } finally {
    if (s.finally) {
      const fc = executeBlock(evaluator, s.finally, frame);
      if (fc) return fc;
    }
  }
  return result;
}

export function executeSwitch(evaluator: Evaluator, s: Extract<Stmt, { kind: "Switch" }>, frame: Frame): Completion {
  const v = evaluate(evaluator, s.expr, frame);
  for (const w of s.whens) {
    if (w.kind === "else") return executeBlock(evaluator, w.body, frame);
    if (w.kind === "type") {
      const t = resolveType(evaluator, w.type, frame.cls, s);
      if (isInstance(v, t)) {
        frame.scopes.push(new Map([[w.name.toLowerCase(), { t, v }]]));
        try {
          return executeBlock(evaluator, w.body, frame);
        } finally {
          frame.scopes.pop();
        }
      }
      continue;
    }
    for (const e of w.values) {
      let cand: Value;
      // A bare name in `when` is an enum constant, which never matches null.
      if (v === null && e.kind === "Name") continue;
      if (v instanceof EnumValue && e.kind === "Name") {
        cand = v.cls.enumValues.find((x) => (x as EnumValue).name.toLowerCase() === e.name.toLowerCase()) ?? null;
      } else cand = evaluate(evaluator, e, frame);
      // `when` on strings is case-sensitive, unlike `==`.
      const match =
        typeof v === "string" && typeof cand === "string"
          ? v === cand
          : v === null || cand === null
            ? v === cand
            : looseEquals(evaluator, v, cand);
      if (match) return executeBlock(evaluator, w.body, frame);
    }
  }
  return undefined;
}
