// Methods: finding one by name through the class hierarchy, choosing among overloads, binding
// parameters and invoking it (queueing it when it is @future).
import type { Loc, MethodDecl } from "../parse/ast.js";
import * as conversionModule from "../runtime/conversion.js";
import { throwApex, unsupported } from "../runtime/errors.js";
import * as governorModule from "../runtime/governor.js";
import type { AsyncJob } from "../runtime/transaction.js";
import * as typesModule from "../runtime/types.js";
import { ApexObject, type ClassInfo, type RType, type Value } from "../runtime/values.js";
import * as valuesModule from "../runtime/values.js";
import { NOT_FOUND } from "../stdlib/registry.js";
import type { ArgType, Evaluator, Frame } from "./evaluator.js";
import * as evaluatorModule from "./evaluator.js";
import * as typeResolutionModule from "./type-resolution.js";
import * as staticsModule from "./statics.js";

// Imported functions, bound once (see evaluator.ts).
const { coerce, isInstance, assignable } = conversionModule;
const { countLimit, tickCpu } = governorModule;
const { typeName } = typesModule;
const { isNumber } = valuesModule;
const { pushFrame } = evaluatorModule;
const { resolveType } = typeResolutionModule;
const { ensureStatics } = staticsModule;

export function bindParams(evaluator: Evaluator, method: MethodDecl, cls: ClassInfo, args: Value[], frame: Frame) {
  const scope = frame.scopes[0];
  method.params.forEach((param, i) => {
    const type = resolveType(evaluator, param.type, cls, method);
    scope.set(param.name.toLowerCase(), { type, value: coerce(evaluator, args[i] ?? null, type) });
  });
}

/** Chooses among same-named methods by arity and the runtime types of the arguments. */
export function pickOverload(
  evaluator: Evaluator,
  cands: MethodDecl[],
  args: Value[],
  cls: ClassInfo,
  loc: Loc,
  what: string,
  argTypes?: ArgType[]
): MethodDecl {
  const arity = cands.filter((method) => method.params.length === args.length);
  if (arity.length === 1) return arity[0];
  if (arity.length === 0) unsupported(evaluator, `${what} with ${args.length} argument(s)`, loc);
  let best: MethodDecl | null = null;
  let bestScore = -1;
  const tied: MethodDecl[] = [];
  for (const method of arity) {
    let score = 0;
    let ok = true;
    method.params.forEach((param, i) => {
      const type = resolveType(evaluator, param.type, cls, method);
      const a = args[i];
      const staticType = argTypes?.[i];
      // Apex picks overloads by the declared types of the arguments when they are known.
      if (staticType !== undefined) {
        if (staticType === null) score += 1;
        else if (typeName(staticType).toLowerCase() === typeName(type).toLowerCase()) score += 3;
        else if (assignable(staticType, type)) score += type.kind === "prim" && type.name === "Object" ? 1 : 2;
        else ok = false;
        return;
      }
      if (a === null) score += 1;
      else if (isInstance(a, type)) score += type.kind === "prim" && type.name === "Object" ? 1 : 3;
      else if (type.kind === "prim" && isNumber(a) && ["Long", "Decimal", "Double"].includes(type.name)) score += 2;
      else if (type.kind === "prim" && type.name === "Id" && typeof a === "string") score += 2;
      else ok = false;
    });
    if (ok && score > bestScore) {
      best = method;
      bestScore = score;
      tied.length = 0;
    }
    if (ok && score === bestScore) tied.push(method);
  }
  if (!best) unsupported(evaluator, `${what}: no overload matches the argument types`, loc);
  return tied.length > 1 ? (mostSpecific(evaluator, tied, cls) ?? best) : best;
}

/**
 * Among overloads that all accept the arguments, the one whose every parameter type is at
 * least as narrow as the others' (a subclass, or a lower number type in Apex's hierarchy
 * Integer, Long, Double, Decimal); null when none is.
 */
export function mostSpecific(evaluator: Evaluator, cands: MethodDecl[], cls: ClassInfo): MethodDecl | null {
  const rank: Record<string, number> = { integer: 0, long: 1, double: 2, decimal: 3 };
  const narrower = (p: RType, q: RType): boolean => {
    if (p.kind === "prim" && q.kind === "prim" && p.name.toLowerCase() in rank && q.name.toLowerCase() in rank)
      return rank[p.name.toLowerCase()] <= rank[q.name.toLowerCase()];
    return assignable(p, q);
  };
  const types = cands.map((method) => method.params.map((param) => resolveType(evaluator, param.type, cls, method)));
  const i = types.findIndex((ts, a) =>
    types.every((other, b) => a === b || ts.every((type, k) => narrower(type, other[k])))
  );
  return i >= 0 ? cands[i] : null;
}

/** Finds an instance or static method by name in a class and its superclasses. */
export function findMethod(
  evaluator: Evaluator,
  cls: ClassInfo,
  lowerName: string,
  args: Value[],
  loc: Loc,
  argTypes?: ArgType[]
): { cls: ClassInfo; method: MethodDecl } | null {
  for (let current: ClassInfo | null = cls; current; current = current.parent) {
    const ms = current.methods
      .get(lowerName)
      ?.filter(
        (method) => method.body !== null || current!.kind === "interface" || method.modifiers.keywords.has("abstract")
      );
    if (ms && ms.some((method) => method.params.length === args.length)) {
      const method = pickOverload(evaluator, ms, args, current, loc, `method ${current.name}.${lowerName}`, argTypes);
      return { cls: current, method };
    }
  }
  return null;
}

/** Whether an interface the class (or a superclass) implements declares a method of that name. */
export function declaresInInterfaces(cls: ClassInfo, lowerName: string): boolean {
  const seen = new Set<ClassInfo>();
  const visit = (current: ClassInfo): boolean => {
    if (seen.has(current)) return false;
    seen.add(current);
    if (current.kind === "interface" && current.methods.has(lowerName)) return true;
    return current.interfaces.some(visit) || (current.parent !== null && visit(current.parent));
  };
  return visit(cls);
}

export function findUserMethod(
  cls: ClassInfo,
  lowerName: string,
  arity: number
): { cls: ClassInfo; method: MethodDecl } | null {
  for (let current: ClassInfo | null = cls; current && current.decl; current = current.parent) {
    const method = current.methods.get(lowerName)?.find((x) => x.params.length === arity && x.body && !x.isStatic);
    if (method) return { cls: current, method };
  }
  return null;
}

/** Calls a method; `thisObject` null for statics. Virtual dispatch is the caller's job. */
export function invoke(
  evaluator: Evaluator,
  cls: ClassInfo,
  method: MethodDecl,
  thisObject: ApexObject | null,
  args: Value[],
  loc: Loc | null
): Value {
  if (!method.body) {
    unsupported(evaluator, `calling abstract method ${cls.name}.${method.name}`, loc);
  }
  if (method.isStatic) ensureStatics(evaluator, cls);
  if (method.isStatic && method.modifiers.annotations.some((annotation) => annotation.name === "future")) {
    if (!evaluator.startingJob) return queueFuture(evaluator, cls, method, args);
    evaluator.startingJob = false;
  }
  const frame: Frame = {
    cls,
    method: method.name,
    thisObject,
    scopes: [new Map()],
    line: method.line,
    accessor: null
  };
  bindParams(evaluator, method, cls, args, frame);
  pushFrame(evaluator, frame);
  tickCpu(evaluator);
  try {
    const completion = evaluator.executeBlock(method.body, frame);
    if (completion && completion.kind === "return") {
      return method.returnType
        ? coerce(evaluator, completion.value, resolveType(evaluator, method.returnType, cls, method))
        : null;
    }
    return null;
  } catch (error) {
    // The JavaScript stack can run out before Apex's 1000-frame limit when the runtime is
    // used in-process with a default stack (the command line runs with a larger one).
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throwApex(evaluator, "LimitException", `Maximum stack depth reached: ${evaluator.frames.length}`);
    }
    throw error;
  } finally {
    evaluator.frames.pop();
  }
}

/** A call to an @future method queues it; it runs later in its own transaction. */
export function queueFuture(evaluator: Evaluator, cls: ClassInfo, method: MethodDecl, args: Value[]): Value {
  if (evaluator.transaction.asyncKind === "future")
    throwApex(
      evaluator,
      "AsyncException",
      "Future method cannot be called from a future or batch method: " + `${cls.name}.${method.name}`
    );
  countLimit(evaluator, "futureCalls");
  const job: AsyncJob = {
    kind: "future",
    run: () => {
      evaluator.startingJob = true;
      try {
        invoke(evaluator, cls, method, null, args, null);
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
  const lowerName = name.toLowerCase();
  const found = findMethod(evaluator, obj.cls, lowerName, args, loc, argTypes);
  // Apex rejects a static method called through an instance at compile time.
  if (found && found.method.isStatic)
    unsupported(evaluator, `calling static method ${found.cls.name}.${name} through an instance`, loc);
  if (found && found.method.body) return invoke(evaluator, found.cls, found.method, obj, args, loc);
  const result = evaluator.stdlib.callObjectBuiltin(obj, lowerName, args, loc);
  if (result !== NOT_FOUND) return result;
  unsupported(evaluator, `method ${obj.cls.name}.${name}`, loc);
}
