// Fields and properties of objects and classes: finding them through the class hierarchy and
// outer classes, reading and writing them, and running property accessors.
import type { FieldDecl } from "../parse/ast.js";
import * as conversionModule from "../runtime/conversion.js";
import * as typesModule from "../runtime/types.js";
import { ApexObject, type ClassInfo, type Value } from "../runtime/values.js";
import type { Evaluator, Frame } from "./evaluator.js";
import * as evaluatorModule from "./evaluator.js";
import * as typeResolutionModule from "./type-resolution.js";
import * as staticsModule from "./statics.js";

// Imported functions, bound once (see evaluator.ts).
const { coerce } = conversionModule;
const { OBJECT } = typesModule;
const { pushFrame } = evaluatorModule;
const { resolveType } = typeResolutionModule;
const { ensureStatics } = staticsModule;

/** Static field owner for a name visible from a class (itself, superclasses, outer classes). */
export function staticOwner(cls: ClassInfo, key: string): ClassInfo | null {
  for (let o: ClassInfo | null = cls; o; o = o.outer) {
    for (let current: ClassInfo | null = o; current && current.decl; current = current.parent) {
      const field = current.fields.get(key);
      if (field && field.isStatic) return current;
    }
  }
  return null;
}

export function instanceField(obj: ApexObject, key: string): { cls: ClassInfo; field: FieldDecl } | null {
  for (let current: ClassInfo | null = obj.cls; current && current.decl; current = current.parent) {
    const field = current.fields.get(key);
    if (field && !field.isStatic) return { cls: current, field };
  }
  return null;
}

export function readField(
  evaluator: Evaluator,
  obj: ApexObject,
  cls: ClassInfo,
  field: FieldDecl,
  frame: Frame | null
): Value {
  const key = field.name.toLowerCase();
  if (field.getter?.body && !(frame && frame.accessor === key && frame.thisObject === obj)) {
    return runAccessor(evaluator, cls, obj, field, "get", null);
  }
  return obj.fields.get(key) ?? null;
}

export function readStatic(evaluator: Evaluator, owner: ClassInfo, key: string, frame: Frame | null): Value {
  ensureStatics(evaluator, owner);
  const field = owner.fields.get(key)!;
  if (field.getter?.body && !(frame && frame.accessor === key && frame.cls === owner)) {
    return runAccessor(evaluator, owner, null, field, "get", null);
  }
  return owner.statics!.get(key) ?? null;
}

export function runAccessor(
  evaluator: Evaluator,
  cls: ClassInfo,
  obj: ApexObject | null,
  field: FieldDecl,
  kind: "get" | "set",
  value: Value
): Value {
  const body = kind === "get" ? field.getter!.body! : field.setter!.body!;
  const type = resolveType(evaluator, field.type, cls, field);
  const frame: Frame = {
    cls,
    method: `${field.name}.${kind}`,
    thisObject: obj,
    scopes: [new Map()],
    line: field.line,
    accessor: field.name.toLowerCase()
  };
  if (kind === "set") frame.scopes[0].set("value", { type, value });
  pushFrame(evaluator, frame);
  try {
    const completion = evaluator.executeBlock(body, frame);
    if (kind === "get")
      return completion && completion.kind === "return" ? coerce(evaluator, completion.value, type) : null;
    return null;
  } finally {
    evaluator.frames.pop();
  }
}

export function writeField(
  evaluator: Evaluator,
  obj: ApexObject,
  cls: ClassInfo,
  field: FieldDecl,
  value: Value,
  frame: Frame | null
) {
  const key = field.name.toLowerCase();
  const type = resolveType(evaluator, field.type, cls, field);
  const converted = coerce(evaluator, value, type);
  if (field.setter?.body && !(frame && frame.accessor === key && frame.thisObject === obj)) {
    runAccessor(evaluator, cls, obj, field, "set", converted);
    return;
  }
  obj.fields.set(key, converted);
}

export function writeStatic(evaluator: Evaluator, owner: ClassInfo, key: string, value: Value, frame: Frame | null) {
  ensureStatics(evaluator, owner);
  const field = owner.fields.get(key)!;
  const converted = coerce(evaluator, value, owner.staticTypes.get(key) ?? OBJECT);
  if (field.setter?.body && !(frame && frame.accessor === key && frame.cls === owner)) {
    runAccessor(evaluator, owner, null, field, "set", converted);
    return;
  }
  owner.statics!.set(key, converted);
}

/** Names a member an instance does not have; a static one is a compile error in Apex. */
export function fieldThroughInstance(obj: ApexObject, key: string, name: string): string {
  for (let current: ClassInfo | null = obj.cls; current && current.decl; current = current.parent)
    if (current.fields.get(key)?.isStatic)
      return `accessing static variable ${current.name}.${name} through an instance`;
  return `field ${obj.cls.name}.${name}`;
}
