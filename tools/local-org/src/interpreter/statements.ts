// Statements: blocks, declarations, conditionals and loops, try/catch/finally, switch, DML and
// System.runAs.
import type { BlockStmt, Loc, Stmt } from "../parse/ast.js";
import * as conversionModule from "../runtime/conversion.js";
import { ApexThrow, unsupported, nullPointer } from "../runtime/errors.js";
import * as governorModule from "../runtime/governor.js";
import * as operatorsModule from "../runtime/operators.js";
import { ApexList, ApexObject, ApexSet, EnumValue, SObjectValue, type Value } from "../runtime/values.js";
import type { Completion, Evaluator, Frame } from "./evaluator.js";
import * as evaluatorModule from "./evaluator.js";
import * as typeResolutionModule from "./type-resolution.js";
import * as methodsModule from "./methods.js";
import * as expressionsModule from "./expressions.js";

// Imported functions, bound once (see evaluator.ts).
const { coerce, isInstance, runtimeTypeName } = conversionModule;
const { tickCpu } = governorModule;
const { looseEquals, setItems } = operatorsModule;
const { BREAK, CONTINUE } = evaluatorModule;
const { resolveType } = typeResolutionModule;
const { findUserMethod, callObjectMethod } = methodsModule;
const { truthy, evaluate } = expressionsModule;

export function executeBlock(evaluator: Evaluator, b: BlockStmt, frame: Frame): Completion {
  frame.scopes.push(new Map());
  try {
    return executeStatements(evaluator, b.body, frame);
  } finally {
    frame.scopes.pop();
  }
}

export function executeStatements(evaluator: Evaluator, stmts: Stmt[], frame: Frame): Completion {
  for (const statement of stmts) {
    const completion = executeStatement(evaluator, statement, frame);
    if (completion) return completion;
  }
  return undefined;
}

export function executeStatement(evaluator: Evaluator, statement: Stmt, frame: Frame): Completion {
  if (statement.kind === "Block") return executeBlock(evaluator, statement, frame);
  evaluator.coverage.cover(frame, statement.line);
  evaluator.transaction.limits.statements++;
  switch (statement.kind) {
    case "Expr":
      evaluate(evaluator, statement.expression, frame);
      return undefined;
    case "LocalVar": {
      const type = resolveType(evaluator, statement.type, frame.cls, statement);
      const scope = frame.scopes[frame.scopes.length - 1];
      for (const d of statement.declarations) {
        const key = d.name.toLowerCase();
        const value = d.initializer ? coerce(evaluator, evaluate(evaluator, d.initializer, frame), type) : null;
        scope.set(key, { type, value });
      }
      return undefined;
    }
    case "If":
      if (truthy(evaluator, evaluate(evaluator, statement.condition, frame), statement))
        return executeScoped(evaluator, statement.then, frame);
      return statement.else ? executeScoped(evaluator, statement.else, frame) : undefined;
    case "While":
      while (truthy(evaluator, evaluate(evaluator, statement.condition, frame), statement)) {
        const completion = executeScoped(evaluator, statement.body, frame);
        if (completion === BREAK) break;
        if (completion && completion.kind === "return") return completion;
        tickCpu(evaluator);
      }
      return undefined;
    case "DoWhile":
      do {
        const completion = executeScoped(evaluator, statement.body, frame);
        if (completion === BREAK) break;
        if (completion && completion.kind === "return") return completion;
        tickCpu(evaluator);
      } while (truthy(evaluator, evaluate(evaluator, statement.condition, frame), statement));
      return undefined;
    case "For": {
      frame.scopes.push(new Map());
      try {
        if (statement.initializer) {
          if (Array.isArray(statement.initializer))
            statement.initializer.forEach((expression) => evaluate(evaluator, expression, frame));
          else executeStatement(evaluator, statement.initializer, frame);
        }
        while (!statement.condition || truthy(evaluator, evaluate(evaluator, statement.condition, frame), statement)) {
          const completion = executeScoped(evaluator, statement.body, frame);
          if (completion === BREAK) break;
          if (completion && completion.kind === "return") return completion;
          for (const u of statement.update) evaluate(evaluator, u, frame);
          tickCpu(evaluator);
        }
      } finally {
        frame.scopes.pop();
      }
      return undefined;
    }
    case "ForEach": {
      const coll = evaluate(evaluator, statement.expression, frame);
      if (coll === null) nullPointer(evaluator);
      let items: Value[];
      if (coll instanceof ApexList) items = [...coll.items];
      else if (coll instanceof ApexSet) items = setItems(coll);
      else if (coll instanceof ApexObject) items = iterate(evaluator, coll, statement);
      else unsupported(evaluator, `for-each over ${runtimeTypeName(coll)}`, statement);
      const type = resolveType(evaluator, statement.type, frame.cls, statement);
      const key = statement.name.toLowerCase();
      if (type.kind === "list" && coll instanceof ApexList && coll.fromQuery) {
        // A SOQL for loop with a list variable receives the rows in chunks of 200.
        const chunks: Value[] = [];
        for (let i = 0; i < items.length; i += 200) chunks.push(new ApexList(coll.elemType, items.slice(i, i + 200)));
        items = chunks;
      }
      const guarded = coll instanceof ApexList || coll instanceof ApexSet ? coll : null;
      if (guarded) guarded.iterating++;
      try {
        for (const item of items) {
          frame.scopes.push(new Map([[key, { type, value: coerce(evaluator, item, type) }]]));
          let completion: Completion;
          try {
            completion = executeStatement(evaluator, statement.body, frame);
          } finally {
            frame.scopes.pop();
          }
          if (completion === BREAK) break;
          if (completion && completion.kind === "return") return completion;
          tickCpu(evaluator);
        }
      } finally {
        if (guarded) guarded.iterating--;
      }
      return undefined;
    }
    case "Return":
      return { kind: "return", value: statement.expression ? evaluate(evaluator, statement.expression, frame) : null };
    case "Break":
      return BREAK;
    case "Continue":
      return CONTINUE;
    case "Throw": {
      const value = evaluate(evaluator, statement.expression, frame);
      if (value === null) nullPointer(evaluator);
      if (!(value instanceof ApexObject) || !value.ex)
        unsupported(evaluator, "throwing a non-exception value", statement);
      throw new ApexThrow(value);
    }
    case "Try":
      return executeTry(evaluator, statement, frame);
    case "Switch":
      return executeSwitch(evaluator, statement, frame);
    case "Dml": {
      const value = evaluate(evaluator, statement.expression, frame);
      // `upsert r Obj__c.Key__c` names the field with its object: the field is the last part.
      const ext = statement.externalIdField ? statement.externalIdField.split(".").pop()! : null;
      evaluator.data.dmlStatement(statement.operator, value, ext, statement);
      return undefined;
    }
    case "RunAs": {
      const u = evaluate(evaluator, statement.user, frame);
      const id = u instanceof SObjectValue && u.type.name === "User" ? u.fields.get("id") : null;
      if (typeof id !== "string") unsupported(evaluator, "System.runAs without a saved User", statement);
      const previous = evaluator.transaction.runAsUserId;
      evaluator.transaction.runAsUserId = id;
      try {
        return executeBlock(evaluator, statement.body, frame);
      } finally {
        evaluator.transaction.runAsUserId = previous;
      }
    }
    case "Unsupported":
      unsupported(evaluator, statement.feature, statement);
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

export function executeScoped(evaluator: Evaluator, statement: Stmt, frame: Frame): Completion {
  if (statement.kind === "Block") return executeBlock(evaluator, statement, frame);
  frame.scopes.push(new Map());
  try {
    return executeStatement(evaluator, statement, frame);
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
    } catch (error) {
      if (!(error instanceof ApexThrow) || error.obj.cls.uncatchable) throw error;
      evaluator.frames.length = depth;
      frame.scopes.length = scopes;
      const clause = s.catches.find((c) => {
        const type = resolveType(evaluator, c.type, frame.cls, s);
        if (type.kind === "class" && type.cls.name === "Exception" && !type.cls.decl) return true;
        return isInstance(error.obj, type);
      });
      if (!clause) throw error;
      const t = resolveType(evaluator, clause.type, frame.cls, s);
      frame.scopes.push(new Map([[clause.name.toLowerCase(), { type: t, value: error.obj }]]));
      try {
        result = executeBlock(evaluator, clause.body, frame);
      } finally {
        frame.scopes.pop();
      }
    }
  } finally {
    if (s.finally) {
      const finallyCompletion = executeBlock(evaluator, s.finally, frame);
      if (finallyCompletion) return finallyCompletion;
    }
  }
  return result;
}

export function executeSwitch(evaluator: Evaluator, s: Extract<Stmt, { kind: "Switch" }>, frame: Frame): Completion {
  const value = evaluate(evaluator, s.expression, frame);
  for (const w of s.whens) {
    if (w.kind === "else") return executeBlock(evaluator, w.body, frame);
    if (w.kind === "type") {
      const type = resolveType(evaluator, w.type, frame.cls, s);
      if (isInstance(value, type)) {
        frame.scopes.push(new Map([[w.name.toLowerCase(), { type, value }]]));
        try {
          return executeBlock(evaluator, w.body, frame);
        } finally {
          frame.scopes.pop();
        }
      }
      continue;
    }
    for (const expression of w.values) {
      let cand: Value;
      // A bare name in `when` is an enum constant, which never matches null.
      if (value === null && expression.kind === "Name") continue;
      if (value instanceof EnumValue && expression.kind === "Name") {
        cand =
          value.cls.enumValues.find(
            (item) => (item as EnumValue).name.toLowerCase() === expression.name.toLowerCase()
          ) ?? null;
      } else cand = evaluate(evaluator, expression, frame);
      // `when` on strings is case-sensitive, unlike `==`.
      const match =
        typeof value === "string" && typeof cand === "string"
          ? value === cand
          : value === null || cand === null
            ? value === cand
            : looseEquals(evaluator, value, cand);
      if (match) return executeBlock(evaluator, w.body, frame);
    }
  }
  return undefined;
}
