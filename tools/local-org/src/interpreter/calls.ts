// Member access and calls: `a.b`, `a?.b`, `a.m(...)`, unqualified and super calls, static
// members of types and namespaces, and the declared types of arguments for overloads.
import type { CallExpr, Expr, Loc } from "../parse/ast.js";
import { coerce, runtimeTypeName } from "../runtime/conversion.js";
import { unsupported, nullPointer } from "../runtime/errors.js";
import { prim, typeName } from "../runtime/types.js";
import {
  ApexList,
  ApexObject,
  EnumValue,
  NamespaceValue,
  SObjectValue,
  TypeValue,
  type ClassInfo,
  type Value
} from "../runtime/values.js";
import { NOT_FOUND } from "../stdlib/registry.js";
import { lookupLocal, type ArgType, type Evaluator, type Frame } from "./evaluator.js";
import { lookupType, resolveType } from "./type-resolution.js";
import { staticOwner, instanceField, readField, readStatic, fieldThroughInstance } from "./members.js";
import { findMethod, declaresInInterfaces, invoke, callObjectMethod } from "./methods.js";

/** Marks a member chain cut short by `?.` on null. */
export const SHORT: unique symbol = Symbol("short-circuit");

/** The declared type of an argument when it is evident (variables, literals, new, casts); undefined otherwise. */
export function staticType(evaluator: Evaluator, e: Expr, frame: Frame): ArgType {
  switch (e.kind) {
    case "Literal":
      return e.type === "Null" ? null : prim(e.type);
    case "Name": {
      const key = e.name.toLowerCase();
      const local = lookupLocal(frame, key);
      if (local) return local.t;
      const inf = frame.thisObj ? instanceField(frame.thisObj, key) : null;
      if (inf) return resolveType(evaluator, inf.f.type, inf.cls, inf.f);
      const owner = staticOwner(frame.cls, key);
      if (owner) {
        const f = owner.fields.get(key)!;
        return resolveType(evaluator, f.type, owner, f);
      }
      return undefined;
    }
    case "New":
    case "Cast":
      return resolveType(evaluator, e.type, frame.cls, e);
    case "This":
      return frame.thisObj ? { kind: "class", cls: frame.cls } : undefined;
  }
  return undefined;
}

/** Evaluates the target of a member access; SHORT when a `?.` earlier in the chain met null. */
export function evaluateChain(evaluator: Evaluator, e: Expr, frame: Frame): Value | typeof SHORT {
  if (e.kind === "Field") return evaluateField(evaluator, e, frame);
  if (e.kind === "Call") return evaluateCall(evaluator, e, frame);
  return evaluator.evaluateExpression(e, frame);
}

export function shortCircuitToNull(v: Value | typeof SHORT): Value {
  return v === SHORT ? null : v;
}

export function evaluateField(
  evaluator: Evaluator,
  e: Extract<Expr, { kind: "Field" }>,
  frame: Frame
): Value | typeof SHORT {
  const target = e.target.kind === "Super" ? frame.thisObj : evaluateChain(evaluator, e.target, frame);
  // `a?.b.c` is null when a is null: the rest of the chain is skipped.
  if (target === SHORT || (target === null && e.safe)) return SHORT;
  return getMember(evaluator, target, e.name, e.safe, e, frame);
}

export function getMember(
  evaluator: Evaluator,
  target: Value,
  name: string,
  safe: boolean,
  loc: Loc,
  frame: Frame | null
): Value {
  const key = name.toLowerCase();
  if (target === null) {
    if (safe) return null;
    nullPointer(evaluator);
  }
  if (target instanceof ApexObject) {
    const inf = instanceField(target, key);
    if (inf) return readField(evaluator, target, inf.cls, inf.f, frame);
    unsupported(evaluator, fieldThroughInstance(target, key, name), loc);
  }
  if (target instanceof SObjectValue) return evaluator.data.getField(target, name, loc);
  if (target instanceof TypeValue) {
    const t = target.type;
    if (t.kind === "class") {
      const ci = t.cls;
      const inner = ci.inner.get(key);
      if (inner) return new TypeValue({ kind: "class", cls: inner });
      if (ci.kind === "enum") {
        const ev = ci.enumValues.find((x) => (x as EnumValue).name.toLowerCase() === key);
        if (ev) return ev;
      }
      const owner = staticOwner(ci, key);
      if (owner) return readStatic(evaluator, owner, key, frame);
    }
    const r = evaluator.stdlib.getStaticProperty(t, key, loc);
    if (r !== NOT_FOUND) return r;
    unsupported(evaluator, `static member ${typeName(t)}.${name}`, loc);
  }
  if (target instanceof NamespaceValue) {
    const sp = evaluator.stdlib.staticProps.get(target.name)?.get(key);
    if (sp) return sp(loc, key);
    if (target.name === "label") return evaluator.stdlib.getNamespaceMember("label", name, loc) as Value;
    const t =
      lookupType(evaluator, [target.name, key], frame?.cls ?? null) ?? lookupType(evaluator, [key], frame?.cls ?? null);
    if (t) return new TypeValue(t);
    const r = evaluator.stdlib.getNamespaceMember(target.name, key, loc);
    if (r !== NOT_FOUND) return r;
    unsupported(evaluator, `${target.name}.${name}`, loc);
  }
  if (target instanceof ApexList && target.fromQuery) {
    // [SELECT ...].Field reads the single row of an inline query.
    return getMember(evaluator, coerce(evaluator, target, target.elemType), name, safe, loc, frame);
  }
  const r = evaluator.stdlib.getValueProperty(target, key, loc);
  if (r !== NOT_FOUND) return r;
  unsupported(evaluator, `property ${name} of ${runtimeTypeName(target)}`, loc);
}

export function evaluateCall(evaluator: Evaluator, e: CallExpr, frame: Frame): Value | typeof SHORT {
  const lname = e.name.toLowerCase();
  if (e.target === null) {
    if (lname === "this" || lname === "super")
      unsupported(evaluator, `${e.name}(...) outside the first line of a constructor`, e);
    const args = e.args.map((a) => evaluator.evaluateExpression(a, frame));
    const argTypes = e.args.map((a) => staticType(evaluator, a, frame));
    // Instance methods with virtual dispatch, then statics of this class and its outer classes.
    if (frame.thisObj) {
      // Resolve from the calling class; only virtual, abstract and override methods dispatch on
      // the object's class (a subclass's same-named method does not replace a private one).
      const declared = findMethod(evaluator, frame.cls, lname, args, e, argTypes);
      if (declared) {
        const kw = declared.method.mods.keywords;
        const overridable =
          !declared.method.isStatic &&
          (kw.has("virtual") || kw.has("abstract") || kw.has("override") || declared.cls.kind === "interface");
        const target = overridable
          ? (findMethod(evaluator, frame.thisObj.cls, lname, args, e, argTypes) ?? declared)
          : declared;
        if (target.method.body)
          return invoke(evaluator, target.cls, target.method, target.method.isStatic ? null : frame.thisObj, args, e);
      } else if (declaresInInterfaces(frame.cls, lname)) {
        // An abstract class may call an interface method it leaves to its subclasses.
        const impl = findMethod(evaluator, frame.thisObj.cls, lname, args, e, argTypes);
        if (impl && impl.method.body && !impl.method.isStatic)
          return invoke(evaluator, impl.cls, impl.method, frame.thisObj, args, e);
      }
    }
    for (let c: ClassInfo | null = frame.cls; c; c = c.outer) {
      const found = findMethod(evaluator, c, lname, args, e, argTypes);
      if (found) {
        if (!found.method.isStatic && !frame.thisObj)
          unsupported(evaluator, `calling instance method ${e.name} from a static context`, e);
        return invoke(evaluator, found.cls, found.method, found.method.isStatic ? null : frame.thisObj, args, e);
      }
    }
    unsupported(evaluator, `method ${e.name}`, e);
  }
  if (e.target.kind === "Super") {
    const args = e.args.map((a) => evaluator.evaluateExpression(a, frame));
    const parent = frame.cls.parent;
    if (parent && parent.decl) {
      const found = findMethod(
        evaluator,
        parent,
        lname,
        args,
        e,
        e.args.map((a) => staticType(evaluator, a, frame))
      );
      if (found) return invoke(evaluator, found.cls, found.method, frame.thisObj, args, e);
    }
    if (frame.thisObj) {
      const r = evaluator.stdlib.callObjectBuiltin(frame.thisObj, lname, args, e);
      if (r !== NOT_FOUND) return r;
    }
    unsupported(evaluator, `super.${e.name}`, e);
  }
  const target = evaluateChain(evaluator, e.target, frame);
  if (target === SHORT || (target === null && e.safe)) return SHORT;
  if (target === null) nullPointer(evaluator);
  const args = e.args.map((a) => evaluator.evaluateExpression(a, frame));
  return callOn(
    evaluator,
    target,
    e.name,
    args,
    e,
    e.args.map((a) => staticType(evaluator, a, frame))
  );
}

export function callOn(
  evaluator: Evaluator,
  target: Value,
  name: string,
  args: Value[],
  loc: Loc,
  argTypes?: ArgType[]
): Value {
  const lname = name.toLowerCase();
  if (target === null) nullPointer(evaluator);
  if (target instanceof ApexObject) return callObjectMethod(evaluator, target, name, args, loc, argTypes);
  if (target instanceof TypeValue && target.literal) {
    const r = evaluator.stdlib.callInstance(target, lname, args, loc);
    if (r !== NOT_FOUND) return r;
    unsupported(evaluator, `method ${name} on System.Type`, loc);
  }
  if (
    target instanceof TypeValue &&
    target.type.kind === "class" &&
    target.type.cls.kind === "enum" &&
    !target.type.cls.decl
  ) {
    const r = evaluator.stdlib.callEnumStatic(target.type.cls, lname, args);
    if (r !== NOT_FOUND) return r;
    unsupported(evaluator, `static method ${target.type.cls.name}.${name}`, loc);
  }
  if (target instanceof TypeValue && target.type.kind === "class" && target.type.cls.decl) {
    const ci = target.type.cls;
    const found = findMethod(evaluator, ci, lname, args, loc, argTypes);
    if (found && found.method.isStatic) return invoke(evaluator, found.cls, found.method, null, args, loc);
    if (ci.kind === "enum") {
      const r = evaluator.stdlib.callEnumStatic(ci, lname, args);
      if (r !== NOT_FOUND) return r;
    }
    unsupported(evaluator, `static method ${ci.name}.${name}`, loc);
  }
  if (target instanceof TypeValue) {
    const r = evaluator.stdlib.callStatic(target.type, lname, args, loc);
    if (r !== NOT_FOUND) return r;
    unsupported(evaluator, `${typeName(target.type)}.${name}`, loc);
  }
  if (target instanceof NamespaceValue) {
    const r = evaluator.stdlib.callNamespace(target.name, lname, args, loc);
    if (r !== NOT_FOUND) return r;
    unsupported(evaluator, `${target.name}.${name}`, loc);
  }
  const r = evaluator.stdlib.callInstance(target, lname, args, loc);
  if (r !== NOT_FOUND) return r;
  unsupported(evaluator, `method ${name} on ${runtimeTypeName(target)}`, loc);
}
