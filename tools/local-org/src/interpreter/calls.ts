// Member access and calls: `a.b`, `a?.b`, `a.m(...)`, unqualified and super calls, static
// members of types and namespaces, and the declared types of arguments for overloads.
import type { CallExpr, Expr, Loc } from "../parse/ast.js";
import * as conversionModule from "../runtime/conversion.js";
import { unsupported, nullPointer } from "../runtime/errors.js";
import * as typesModule from "../runtime/types.js";
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
import type { ArgType, Evaluator, Frame } from "./evaluator.js";
import * as evaluatorModule from "./evaluator.js";
import * as typeResolutionModule from "./type-resolution.js";
import * as membersModule from "./members.js";
import * as methodsModule from "./methods.js";

// Imported functions, bound once (see evaluator.ts).
const { coerce, runtimeTypeName } = conversionModule;
const { prim, typeName } = typesModule;
const { lookupLocal } = evaluatorModule;
const { lookupType, resolveType } = typeResolutionModule;
const { staticOwner, instanceField, readField, readStatic, fieldThroughInstance } = membersModule;
const { findMethod, declaresInInterfaces, invoke, callObjectMethod } = methodsModule;

/** Marks a member chain cut short by `?.` on null. */
export const SHORT: unique symbol = Symbol("short-circuit");

/** The declared type of an argument when it is evident (variables, literals, new, casts); undefined otherwise. */
export function staticType(evaluator: Evaluator, expression: Expr, frame: Frame): ArgType {
  switch (expression.kind) {
    case "Literal":
      return expression.type === "Null" ? null : prim(expression.type);
    case "Name": {
      const key = expression.name.toLowerCase();
      const local = lookupLocal(frame, key);
      if (local) return local.type;
      const declared = frame.thisObject ? instanceField(frame.thisObject, key) : null;
      if (declared) return resolveType(evaluator, declared.field.type, declared.cls, declared.field);
      const owner = staticOwner(frame.cls, key);
      if (owner) {
        const field = owner.fields.get(key)!;
        return resolveType(evaluator, field.type, owner, field);
      }
      return undefined;
    }
    case "New":
    case "Cast":
      return resolveType(evaluator, expression.type, frame.cls, expression);
    case "This":
      return frame.thisObject ? { kind: "class", cls: frame.cls } : undefined;
  }
  return undefined;
}

/** Evaluates the target of a member access; SHORT when a `?.` earlier in the chain met null. */
export function evaluateChain(evaluator: Evaluator, expression: Expr, frame: Frame): Value | typeof SHORT {
  if (expression.kind === "Field") return evaluateField(evaluator, expression, frame);
  if (expression.kind === "Call") return evaluateCall(evaluator, expression, frame);
  return evaluator.evaluateExpression(expression, frame);
}

export function shortCircuitToNull(v: Value | typeof SHORT): Value {
  return v === SHORT ? null : v;
}

export function evaluateField(
  evaluator: Evaluator,
  e: Extract<Expr, { kind: "Field" }>,
  frame: Frame
): Value | typeof SHORT {
  const target = e.target.kind === "Super" ? frame.thisObject : evaluateChain(evaluator, e.target, frame);
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
    const declared = instanceField(target, key);
    if (declared) return readField(evaluator, target, declared.cls, declared.field, frame);
    unsupported(evaluator, fieldThroughInstance(target, key, name), loc);
  }
  if (target instanceof SObjectValue) return evaluator.data.getField(target, name, loc);
  if (target instanceof TypeValue) {
    const type = target.type;
    if (type.kind === "class") {
      const cls = type.cls;
      const inner = cls.inner.get(key);
      if (inner) return new TypeValue({ kind: "class", cls: inner });
      if (cls.kind === "enum") {
        const constant = cls.enumValues.find((item) => (item as EnumValue).name.toLowerCase() === key);
        if (constant) return constant;
      }
      const owner = staticOwner(cls, key);
      if (owner) return readStatic(evaluator, owner, key, frame);
    }
    const result = evaluator.stdlib.getStaticProperty(type, key, loc);
    if (result !== NOT_FOUND) return result;
    unsupported(evaluator, `static member ${typeName(type)}.${name}`, loc);
  }
  if (target instanceof NamespaceValue) {
    const property = evaluator.stdlib.staticProps.get(target.name)?.get(key);
    if (property) return property(loc, key);
    if (target.name === "label") return evaluator.stdlib.getNamespaceMember("label", name, loc) as Value;
    const type =
      lookupType(evaluator, [target.name, key], frame?.cls ?? null) ?? lookupType(evaluator, [key], frame?.cls ?? null);
    if (type) return new TypeValue(type);
    const result = evaluator.stdlib.getNamespaceMember(target.name, key, loc);
    if (result !== NOT_FOUND) return result;
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
  const lowerName = e.name.toLowerCase();
  if (e.target === null) {
    if (lowerName === "this" || lowerName === "super")
      unsupported(evaluator, `${e.name}(...) outside the first line of a constructor`, e);
    const args = e.args.map((argument) => evaluator.evaluateExpression(argument, frame));
    const argTypes = e.args.map((argument) => staticType(evaluator, argument, frame));
    // Instance methods with virtual dispatch, then statics of this class and its outer classes.
    if (frame.thisObject) {
      // Resolve from the calling class; only virtual, abstract and override methods dispatch on
      // the object's class (a subclass's same-named method does not replace a private one).
      const declared = findMethod(evaluator, frame.cls, lowerName, args, e, argTypes);
      if (declared) {
        const kw = declared.method.modifiers.keywords;
        const overridable =
          !declared.method.isStatic &&
          (kw.has("virtual") || kw.has("abstract") || kw.has("override") || declared.cls.kind === "interface");
        const target = overridable
          ? (findMethod(evaluator, frame.thisObject.cls, lowerName, args, e, argTypes) ?? declared)
          : declared;
        if (target.method.body)
          return invoke(
            evaluator,
            target.cls,
            target.method,
            target.method.isStatic ? null : frame.thisObject,
            args,
            e
          );
      } else if (declaresInInterfaces(frame.cls, lowerName)) {
        // An abstract class may call an interface method it leaves to its subclasses.
        const impl = findMethod(evaluator, frame.thisObject.cls, lowerName, args, e, argTypes);
        if (impl && impl.method.body && !impl.method.isStatic)
          return invoke(evaluator, impl.cls, impl.method, frame.thisObject, args, e);
      }
    }
    for (let current: ClassInfo | null = frame.cls; current; current = current.outer) {
      const found = findMethod(evaluator, current, lowerName, args, e, argTypes);
      if (found) {
        if (!found.method.isStatic && !frame.thisObject)
          unsupported(evaluator, `calling instance method ${e.name} from a static context`, e);
        return invoke(evaluator, found.cls, found.method, found.method.isStatic ? null : frame.thisObject, args, e);
      }
    }
    unsupported(evaluator, `method ${e.name}`, e);
  }
  if (e.target.kind === "Super") {
    const args = e.args.map((argument) => evaluator.evaluateExpression(argument, frame));
    const parent = frame.cls.parent;
    if (parent && parent.decl) {
      const found = findMethod(
        evaluator,
        parent,
        lowerName,
        args,
        e,
        e.args.map((argument) => staticType(evaluator, argument, frame))
      );
      if (found) return invoke(evaluator, found.cls, found.method, frame.thisObject, args, e);
    }
    if (frame.thisObject) {
      const result = evaluator.stdlib.callObjectBuiltin(frame.thisObject, lowerName, args, e);
      if (result !== NOT_FOUND) return result;
    }
    unsupported(evaluator, `super.${e.name}`, e);
  }
  const target = evaluateChain(evaluator, e.target, frame);
  if (target === SHORT || (target === null && e.safe)) return SHORT;
  if (target === null) nullPointer(evaluator);
  const args = e.args.map((argument) => evaluator.evaluateExpression(argument, frame));
  return callOn(
    evaluator,
    target,
    e.name,
    args,
    e,
    e.args.map((argument) => staticType(evaluator, argument, frame))
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
  const lowerName = name.toLowerCase();
  if (target === null) nullPointer(evaluator);
  if (target instanceof ApexObject) return callObjectMethod(evaluator, target, name, args, loc, argTypes);
  if (target instanceof TypeValue && target.literal) {
    const result = evaluator.stdlib.callInstance(target, lowerName, args, loc);
    if (result !== NOT_FOUND) return result;
    unsupported(evaluator, `method ${name} on System.Type`, loc);
  }
  if (
    target instanceof TypeValue &&
    target.type.kind === "class" &&
    target.type.cls.kind === "enum" &&
    !target.type.cls.decl
  ) {
    const result = evaluator.stdlib.callEnumStatic(target.type.cls, lowerName, args);
    if (result !== NOT_FOUND) return result;
    unsupported(evaluator, `static method ${target.type.cls.name}.${name}`, loc);
  }
  if (target instanceof TypeValue && target.type.kind === "class" && target.type.cls.decl) {
    const cls = target.type.cls;
    const found = findMethod(evaluator, cls, lowerName, args, loc, argTypes);
    if (found && found.method.isStatic) return invoke(evaluator, found.cls, found.method, null, args, loc);
    if (cls.kind === "enum") {
      const result = evaluator.stdlib.callEnumStatic(cls, lowerName, args);
      if (result !== NOT_FOUND) return result;
    }
    unsupported(evaluator, `static method ${cls.name}.${name}`, loc);
  }
  if (target instanceof TypeValue) {
    const result = evaluator.stdlib.callStatic(target.type, lowerName, args, loc);
    if (result !== NOT_FOUND) return result;
    unsupported(evaluator, `${typeName(target.type)}.${name}`, loc);
  }
  if (target instanceof NamespaceValue) {
    const result = evaluator.stdlib.callNamespace(target.name, lowerName, args, loc);
    if (result !== NOT_FOUND) return result;
    unsupported(evaluator, `${target.name}.${name}`, loc);
  }
  const r = evaluator.stdlib.callInstance(target, lowerName, args, loc);
  if (r !== NOT_FOUND) return r;
  unsupported(evaluator, `method ${name} on ${runtimeTypeName(target)}`, loc);
}
