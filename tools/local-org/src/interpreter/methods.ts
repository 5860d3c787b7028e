// Methods: finding one by name through the class hierarchy, choosing among overloads, binding
// parameters and invoking it (queueing it when it is @future).
import type { Loc, MethodDecl } from "../parse/ast.js";
import { coerce, isInstance, assignable } from "../runtime/conversion.js";
import { throwApex, unsupported } from "../runtime/errors.js";
import { countLimit, tickCpu } from "../runtime/governor.js";
import type { AsyncJob } from "../runtime/transaction.js";
import { typeName } from "../runtime/types.js";
import { ApexObject, isNumber, type ClassInfo, type RType, type Value } from "../runtime/values.js";
import { NOT_FOUND } from "../stdlib/registry.js";
import { pushFrame, type ArgType, type Evaluator, type Frame } from "./evaluator.js";
import { resolveType } from "./type-resolution.js";
import { ensureStatics } from "./statics.js";

export function bindParams(evaluator: Evaluator, m: MethodDecl, ci: ClassInfo, args: Value[], frame: Frame) {
  const scope = frame.scopes[0];
  m.params.forEach((p, i) => {
    const t = resolveType(evaluator, p.type, ci, m);
    scope.set(p.name.toLowerCase(), { t, v: coerce(evaluator, args[i] ?? null, t) });
  });
}

/** Chooses among same-named methods by arity and the runtime types of the arguments. */
export function pickOverload(
  evaluator: Evaluator,
  cands: MethodDecl[],
  args: Value[],
  ci: ClassInfo,
  loc: Loc,
  what: string,
  argTypes?: ArgType[]
): MethodDecl {
  const arity = cands.filter((m) => m.params.length === args.length);
  if (arity.length === 1) return arity[0];
  if (arity.length === 0) unsupported(evaluator, `${what} with ${args.length} argument(s)`, loc);
  let best: MethodDecl | null = null;
  let bestScore = -1;
  const tied: MethodDecl[] = [];
  for (const m of arity) {
    let score = 0;
    let ok = true;
    m.params.forEach((p, i) => {
      const t = resolveType(evaluator, p.type, ci, m);
      const a = args[i];
      const st = argTypes?.[i];
      // Apex picks overloads by the declared types of the arguments when they are known.
      if (st !== undefined) {
        if (st === null) score += 1;
        else if (typeName(st).toLowerCase() === typeName(t).toLowerCase()) score += 3;
        else if (assignable(st, t)) score += t.kind === "prim" && t.name === "Object" ? 1 : 2;
        else ok = false;
        return;
      }
      if (a === null) score += 1;
      else if (isInstance(a, t)) score += t.kind === "prim" && t.name === "Object" ? 1 : 3;
      else if (t.kind === "prim" && isNumber(a) && ["Long", "Decimal", "Double"].includes(t.name)) score += 2;
      else if (t.kind === "prim" && t.name === "Id" && typeof a === "string") score += 2;
      else ok = false;
    });
    if (ok && score > bestScore) {
      best = m;
      bestScore = score;
      tied.length = 0;
    }
    if (ok && score === bestScore) tied.push(m);
  }
  if (!best) unsupported(evaluator, `${what}: no overload matches the argument types`, loc);
  return tied.length > 1 ? (mostSpecific(evaluator, tied, ci) ?? best) : best;
}

/**
 * Among overloads that all accept the arguments, the one whose every parameter type is at
 * least as narrow as the others' (a subclass, or a lower number type in Apex's hierarchy
 * Integer, Long, Double, Decimal); null when none is.
 */
export function mostSpecific(evaluator: Evaluator, cands: MethodDecl[], ci: ClassInfo): MethodDecl | null {
  const rank: Record<string, number> = { integer: 0, long: 1, double: 2, decimal: 3 };
  const narrower = (p: RType, q: RType): boolean => {
    if (p.kind === "prim" && q.kind === "prim" && p.name.toLowerCase() in rank && q.name.toLowerCase() in rank)
      return rank[p.name.toLowerCase()] <= rank[q.name.toLowerCase()];
    return assignable(p, q);
  };
  const types = cands.map((m) => m.params.map((p) => resolveType(evaluator, p.type, ci, m)));
  const i = types.findIndex((ts, a) => types.every((other, b) => a === b || ts.every((t, k) => narrower(t, other[k]))));
  return i >= 0 ? cands[i] : null;
}

/** Finds an instance or static method by name in a class and its superclasses. */
export function findMethod(
  evaluator: Evaluator,
  ci: ClassInfo,
  lname: string,
  args: Value[],
  loc: Loc,
  argTypes?: ArgType[]
): { cls: ClassInfo; method: MethodDecl } | null {
  for (let c: ClassInfo | null = ci; c; c = c.parent) {
    const ms = c.methods
      .get(lname)
      ?.filter((m) => m.body !== null || c!.kind === "interface" || m.mods.keywords.has("abstract"));
    if (ms && ms.some((m) => m.params.length === args.length)) {
      const m = pickOverload(evaluator, ms, args, c, loc, `method ${c.name}.${lname}`, argTypes);
      return { cls: c, method: m };
    }
  }
  return null;
}

/** Whether an interface the class (or a superclass) implements declares a method of that name. */
export function declaresInInterfaces(ci: ClassInfo, lname: string): boolean {
  const seen = new Set<ClassInfo>();
  const visit = (c: ClassInfo): boolean => {
    if (seen.has(c)) return false;
    seen.add(c);
    if (c.kind === "interface" && c.methods.has(lname)) return true;
    return c.interfaces.some(visit) || (c.parent !== null && visit(c.parent));
  };
  return visit(ci);
}

export function findUserMethod(
  ci: ClassInfo,
  lname: string,
  arity: number
): { cls: ClassInfo; method: MethodDecl } | null {
  for (let c: ClassInfo | null = ci; c && c.decl; c = c.parent) {
    const m = c.methods.get(lname)?.find((x) => x.params.length === arity && x.body && !x.isStatic);
    if (m) return { cls: c, method: m };
  }
  return null;
}

/** Calls a method; `thisObj` null for statics. Virtual dispatch is the caller's job. */
export function invoke(
  evaluator: Evaluator,
  ci: ClassInfo,
  m: MethodDecl,
  thisObj: ApexObject | null,
  args: Value[],
  loc: Loc | null
): Value {
  if (!m.body) {
    unsupported(evaluator, `calling abstract method ${ci.name}.${m.name}`, loc);
  }
  if (m.isStatic) ensureStatics(evaluator, ci);
  if (m.isStatic && m.mods.annotations.some((a) => a.name === "future")) {
    if (!evaluator.startingJob) return queueFuture(evaluator, ci, m, args);
    evaluator.startingJob = false;
  }
  const frame: Frame = { cls: ci, method: m.name, thisObj, scopes: [new Map()], line: m.line, accessor: null };
  bindParams(evaluator, m, ci, args, frame);
  pushFrame(evaluator, frame);
  tickCpu(evaluator);
  try {
    const c = evaluator.executeBlock(m.body, frame);
    if (c && c.kind === "return") {
      return m.returnType ? coerce(evaluator, c.value, resolveType(evaluator, m.returnType, ci, m)) : null;
    }
    return null;
  } catch (e) {
    // The JavaScript stack can run out before Apex's 1000-frame limit when the runtime is
    // used in-process with a default stack (the command line runs with a larger one).
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throwApex(evaluator, "LimitException", `Maximum stack depth reached: ${evaluator.frames.length}`);
    }
    throw e;
  } finally {
    evaluator.frames.pop();
  }
}

/** A call to an @future method queues it; it runs later in its own transaction. */
export function queueFuture(evaluator: Evaluator, ci: ClassInfo, m: MethodDecl, args: Value[]): Value {
  if (evaluator.transaction.asyncKind === "future")
    throwApex(
      evaluator,
      "AsyncException",
      "Future method cannot be called from a future or batch method: " + `${ci.name}.${m.name}`
    );
  countLimit(evaluator, "futureCalls");
  const job: AsyncJob = {
    kind: "future",
    run: () => {
      evaluator.startingJob = true;
      try {
        invoke(evaluator, ci, m, null, args, null);
      } finally {
        evaluator.startingJob = false;
      }
    }
  };
  if (evaluator.transaction.test) evaluator.transaction.test.queued.push(job);
  else evaluator.transaction.asyncQueue.push(job);
  return null;
}

/** Calls an instance method by name with virtual dispatch from the object's class. */
export function callObjectMethod(
  evaluator: Evaluator,
  obj: ApexObject,
  name: string,
  args: Value[],
  loc: Loc,
  argTypes?: ArgType[]
): Value {
  const lname = name.toLowerCase();
  const found = findMethod(evaluator, obj.cls, lname, args, loc, argTypes);
  // Apex rejects a static method called through an instance at compile time.
  if (found && found.method.isStatic)
    unsupported(evaluator, `calling static method ${found.cls.name}.${name} through an instance`, loc);
  if (found && found.method.body) return invoke(evaluator, found.cls, found.method, obj, args, loc);
  const r = evaluator.stdlib.callObjectBuiltin(obj, lname, args, loc);
  if (r !== NOT_FOUND) return r;
  unsupported(evaluator, `method ${obj.cls.name}.${name}`, loc);
}
